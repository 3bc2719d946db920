// A tiny request/response protocol over Node's IPC channel between the orchestrator and the
// processes it spawns (servers, load generators, socket clients).

export interface IpcRequest {
  kind: 'request';
  id: number;
  cmd: string;
  args: unknown;
}

export interface IpcReply {
  kind: 'reply';
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface IpcReady {
  kind: 'ready';
  info: unknown;
}

export type IpcMessage = IpcRequest | IpcReply | IpcReady;

export function isIpcMessage(value: unknown): value is IpcMessage {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

export type Handler = (args: never) => Promise<unknown> | unknown;

/**
 * Child side: answers requests with the named handlers and tells the parent it is ready.
 * `stop` is always understood: it runs `onStop` and exits, so that V8 writes any --cpu-prof file.
 */
export function serveIpc(handlers: Record<string, Handler>, info: unknown, onStop: () => Promise<void> = async () => {}): void {
  if (!process.send) throw new Error('this script runs as a child of bench/run.ts (no IPC channel)');
  const send = (msg: IpcMessage) => process.send?.(msg);
  process.on('message', (raw: unknown) => {
    if (!isIpcMessage(raw) || raw.kind !== 'request') return;
    const { id, cmd, args } = raw;
    if (cmd === 'stop') {
      onStop()
        .catch(() => undefined)
        .finally(() => {
          send({ kind: 'reply', id, ok: true });
          // Let the reply flush before exiting.
          setTimeout(() => process.exit(0), 50);
        });
      return;
    }
    const handler = handlers[cmd];
    if (!handler) {
      send({ kind: 'reply', id, ok: false, error: `unknown command ${cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => (handler as (a: unknown) => unknown)(args))
      .then(
        (result) => send({ kind: 'reply', id, ok: true, result }),
        (err: unknown) => send({ kind: 'reply', id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
  // The parent going away must not leave servers behind.
  process.on('disconnect', () => process.exit(0));
  send({ kind: 'ready', info });
}

/** Memory after a full collection, so that figures are live data, not garbage awaiting GC. */
export function measuredMemory(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage();
}

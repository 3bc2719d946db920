// Spawning the benchmark's processes: each server, load generator and socket client is its own
// Node process (TypeScript through tsx), talked to over IPC, stopped by its own pid.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { IpcMessage } from './ipc.js';
import { isIpcMessage } from './ipc.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Proc<Info> {
  name: string;
  pid: number;
  info: Info;
  call<R>(cmd: string, args?: unknown, timeoutMs?: number): Promise<R>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Extra node flags (e.g. --expose-gc, --cpu-prof). */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();

/** Ends every child still running (the orchestrator's exit path). */
export function killAll(): void {
  for (const child of live) if (child.exitCode === null && child.pid) child.kill('SIGKILL');
  live.clear();
}

export async function spawnProc<Info>(name: string, script: string, args: unknown, options: SpawnOptions = {}): Promise<Proc<Info>> {
  const child = spawn(process.execPath, ['--expose-gc', ...(options.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, script), JSON.stringify(args)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...options.env },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  live.add(child);
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr.push(text);
    if (stderr.length > 50) stderr.shift();
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${text}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    live.delete(child);
    resolve(code);
  }));
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let onReady: ((info: unknown) => void) | null = null;
  child.on('message', (raw: unknown) => {
    if (!isIpcMessage(raw)) return;
    if (raw.kind === 'ready') onReady?.(raw.info);
    if (raw.kind !== 'reply') return;
    const waiter = pending.get(raw.id);
    if (!waiter) return;
    pending.delete(raw.id);
    clearTimeout(waiter.timer);
    if (raw.ok) waiter.resolve(raw.result);
    else waiter.reject(new Error(`${name}: ${raw.error ?? 'failed'}`));
  });
  void exited.then((code) => {
    for (const [, waiter] of pending) waiter.reject(new Error(`${name} exited (${code}) with a request pending:\n${stderr.join('').slice(-2000)}`));
    pending.clear();
  });

  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${stderr.join('').slice(-2000)}`)), options.readyTimeoutMs ?? 60_000);
    onReady = (value) => {
      clearTimeout(timer);
      resolve(value as Info);
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready:\n${stderr.join('').slice(-2000)}`));
    });
  }).catch((err: unknown) => {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw err;
  });

  const call = <R>(cmd: string, callArgs?: unknown, timeoutMs = 120_000): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      if (child.exitCode !== null || !child.connected) return reject(new Error(`${name} is not running`));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: (v) => resolve(v as R), reject, timer });
      const msg: IpcMessage = { kind: 'request', id, cmd, args: callArgs ?? null };
      child.send(msg);
    });

  return {
    name,
    pid: child.pid ?? -1,
    info,
    call,
    async stop() {
      if (child.exitCode !== null) return;
      // A polite stop first (lets --cpu-prof write its file), then SIGKILL by pid.
      await Promise.race([call('stop', null, 15_000).catch(() => undefined), exited]);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `everyMs` until it is true; throws after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// The soak's sockets: open one for a token and wait for its ack, subscribe, wait for its close.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import type { TestServer } from '../helpers/server.js';
import type { Recorder } from './recorder.js';

/**
 * A socket that has not been acknowledged, or kicked, within this long is a failure. Generous:
 * on a loaded 2-core machine a sign-in stampede can hold the event loop for seconds.
 */
const SOCKET_TIMEOUT_MS = 30_000;

export interface OpenedSocket {
  ws: WebSocket;
  acked: boolean;
  closed: Promise<number>;
}

/** Opens a socket for `token`, sends connection_init, and waits for the ack (or the close). */
export async function openSocket(server: TestServer, token: string, rec: Recorder): Promise<OpenedSocket> {
  const started = performance.now();
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  ws.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const socket: OpenedSocket = { ws, acked: false, closed };
  const acked = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      if (String(data).includes('"connection_ack"')) {
        socket.acked = true;
        resolve();
      }
    });
  });
  ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  await Promise.race([acked, closed, sleep(SOCKET_TIMEOUT_MS)]);
  if (socket.acked) rec.record('socketAck', performance.now() - started);
  return socket;
}

export function subscribe(socket: OpenedSocket): void {
  socket.ws.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: 'subscription { sessionEvents { type session { id } } }' } }));
}

/** Waits for the close code, or -1 after the timeout (the socket is then terminated). */
export async function closeCode(socket: OpenedSocket, timeoutMs = SOCKET_TIMEOUT_MS): Promise<number> {
  const code = await Promise.race([socket.closed, sleep(timeoutMs).then(() => -1)]);
  if (code === -1) socket.ws.terminate();
  return code;
}

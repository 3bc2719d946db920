// The socket client of scenario 7: opens every socket of a storm in the same tick (no handshake
// window), each sending connection_init with its bearer token and, once acknowledged, the web app's
// subscription. An attempt that fails before its ack is tried again as the web app does; the
// client keeps each socket's times, the retries, and what became of the sockets that never made it.
import { print } from 'graphql';
import WebSocket from 'ws';
import { SessionEventsDocument } from '../../client/src/gql/graphql.js';
import { serveIpc } from '../lib/ipc.js';
import { summarize } from '../lib/stats.js';
import type { StormOutcome, StormSpec } from '../lib/storm.js';
import { epochNow } from '../lib/timed-load.js';

const SUBSCRIPTION = print(SessionEventsDocument);
/** The web app's wait for an ack once its socket is open (client/src/urql.ts). */
const ACK_WAIT_MS = 15_000;
/** A revoked or unknown session: the web app does not try again. */
const CLOSE_REVOKED = 4403;

/** The web app's wait before a new attempt (client/src/backoff.ts): full jitter, 1 s doubling, 250 ms floor, 30 s cap. */
function backoff(failures: number): number {
  return Math.max(250, Math.floor(Math.random() * Math.min(30_000, 1000 * 2 ** failures)));
}

interface Sock {
  /** The current attempt's socket. */
  ws: WebSocket | null;
  attempts: number;
  openedAt: number;
  ackedAt: number;
  /** Why it does not count in the end (refused, closed or an error after its ack); null while fine. */
  failure: string | null;
}

let sockets: Sock[] = [];

function storm(spec: StormSpec): Promise<StormOutcome> {
  const startedAt = epochNow();
  const t0 = performance.now();
  const batch: Sock[] = [];
  const retries: Record<string, number> = {};
  let settled = 0;
  let done = false;
  return new Promise((resolve) => {
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const failures: Record<string, number> = {};
      let acked = 0;
      for (const s of batch) {
        if (s.failure === null && s.ackedAt === 0) s.failure = `no connection_ack within ${spec.timeoutMs} ms`;
        if (s.failure !== null) failures[s.failure] = (failures[s.failure] ?? 0) + 1;
        else acked++;
      }
      const ackTimes = batch.filter((s) => s.ackedAt).map((s) => s.ackedAt - t0);
      resolve({
        startedAt,
        acked,
        ackedMs: ackTimes.length ? Math.max(...ackTimes) : Number.NaN,
        retried: Object.values(retries).reduce((sum, k) => sum + k, 0),
        open: summarize(batch.filter((s) => s.openedAt).map((s) => s.openedAt - t0)),
        ack: summarize(ackTimes),
        retries,
        failures,
      });
    };
    const timer = setTimeout(finish, spec.timeoutMs);
    const settle = () => {
      if (++settled === spec.tokens.length) finish();
    };
    const connect = (sock: Sock, token: string) => {
      sock.attempts++;
      const ws = new WebSocket(spec.url, 'graphql-transport-ws', { perMessageDeflate: false });
      sock.ws = ws;
      let ackTimer: NodeJS.Timeout | undefined;
      let ended = false;
      // An attempt ends once (`ws` reports an error, then the close): retried unless refused, or too late.
      const end = (why: string, code = 0) => {
        if (ended) return;
        ended = true;
        clearTimeout(ackTimer);
        if (sock.ackedAt) {
          sock.failure ??= `${why} after connection_ack`;
          return;
        }
        if (done) return;
        if (code === CLOSE_REVOKED) {
          sock.failure = `${why} (refused)`;
          return settle();
        }
        retries[why] = (retries[why] ?? 0) + 1;
        setTimeout(() => !done && connect(sock, token), backoff(sock.attempts - 1));
      };
      ws.on('error', (err) => end(`error: ${err.message}`));
      ws.on('close', (code) => end(`closed ${code}`, code));
      ws.on('open', () => {
        sock.openedAt = performance.now();
        ackTimer = setTimeout(() => ws.terminate(), ACK_WAIT_MS);
        ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      });
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; payload?: { extensions?: { code?: string } }[] };
        if (frame.type === 'connection_ack' && sock.ackedAt === 0) {
          clearTimeout(ackTimer);
          sock.ackedAt = performance.now();
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
          settle();
        } else if (frame.type === 'error') {
          sock.failure ??= `subscribe error: ${frame.payload?.[0]?.extensions?.code ?? 'no code'}`;
        } else if (frame.type === 'ping') {
          ws.send('{"type":"pong"}');
        }
      });
    };
    for (const token of spec.tokens) {
      const sock: Sock = { ws: null, attempts: 0, openedAt: 0, ackedAt: 0, failure: null };
      batch.push(sock);
      connect(sock, token);
    }
    // Known from the start, so that closeAll also ends the attempts still in flight.
    sockets.push(...batch);
  });
}

/** Cuts every socket (the client hangs up) and waits for the closes. */
async function closeAll(): Promise<number> {
  const open = sockets.flatMap((s) => (s.ws && s.ws.readyState !== WebSocket.CLOSED ? [s.ws] : []));
  await Promise.all(
    open.map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    ),
  );
  sockets = [];
  return open.length;
}

serveIpc({ storm: (spec: StormSpec) => storm(spec), closeAll: () => closeAll() }, { pid: process.pid });

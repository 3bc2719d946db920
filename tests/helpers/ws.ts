// A raw graphql-transport-ws client for tests: every frame and the close code are visible.
import WebSocket from 'ws';
import { graphql } from '../gql/index.js';
import type { AnyDocument } from './graphql.js';
import { documentText } from './graphql.js';

export const SESSION_EVENTS = graphql(`subscription SessionEvents { sessionEvents { type reason update session { id isCurrent organization { id } } } }`);

export interface SessionEventMessage {
  type: 'CREATED' | 'REVOKED' | 'UPDATED';
  reason: string | null;
  session: { id: string; isCurrent: boolean; organization: { id: string } };
}

/** An event with the moment it arrived (performance.now()). */
export type TimedEvent = SessionEventMessage & { at: number };

export interface Frame {
  type: string;
  id?: string;
  payload?: unknown;
}

export interface Closed {
  code: number;
  reason: string;
  at: number;
}

export interface LiveSocket {
  ws: WebSocket;
  frames: Frame[];
  events: TimedEvent[];
  closed: Promise<Closed>;
  send(frame: unknown): void;
  subscribe(id?: string, query?: string | AnyDocument, variables?: Record<string, unknown>): void;
  /** Resolves with the first event matching, or rejects after `timeoutMs`. */
  waitForEvent(match: (e: SessionEventMessage) => boolean, timeoutMs?: number): Promise<SessionEventMessage & { at: number }>;
  waitForFrame(match: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

export interface OpenOptions {
  token?: string;
  cookie?: string;
  origin?: string;
  /** Send connection_init (default true). */
  init?: boolean;
  /** Extra connection params. */
  params?: Record<string, unknown>;
}

function waiter<T>(check: () => T | undefined, subscribeTo: (fn: () => void) => () => void, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const found = check();
    if (found !== undefined) return resolve(found);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const off = subscribeTo(() => {
      const hit = check();
      if (hit !== undefined) {
        clearTimeout(timer);
        off();
        resolve(hit);
      }
    });
  });
}

/** Opens a socket; resolves after connection_ack, or after the close when the server refuses. */
export async function openLive(wsUrl: string, options: OpenOptions = {}): Promise<LiveSocket> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { headers });
  const frames: Frame[] = [];
  const events: TimedEvent[] = [];
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  const closed = new Promise<Closed>((resolve) => {
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString(), at: performance.now() });
      notify();
    });
    ws.on('unexpected-response', (_req, res) => resolve({ code: res.statusCode ?? 0, reason: 'http', at: performance.now() }));
  });
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    frames.push(frame);
    if (frame.type === 'next') {
      const payload = frame.payload as { data?: { sessionEvents?: SessionEventMessage } };
      if (payload.data?.sessionEvents) events.push({ ...payload.data.sessionEvents, at: performance.now() });
    }
    notify();
  });
  const socket: LiveSocket = {
    ws,
    frames,
    events,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    subscribe: (id = '1', query = SESSION_EVENTS, variables) => socket.send({ type: 'subscribe', id, payload: { query: typeof query === 'string' ? query : documentText(query), ...(variables ? { variables } : {}) } }),
    waitForEvent: (match, timeoutMs = 5000) =>
      waiter(() => events.find(match), (fn) => (listeners.add(fn), () => listeners.delete(fn)), timeoutMs, 'a session event'),
    waitForFrame: (match, timeoutMs = 5000) =>
      waiter(() => frames.find(match), (fn) => (listeners.add(fn), () => listeners.delete(fn)), timeoutMs, 'a frame'),
    close: () => ws.close(),
  };
  const opened = await Promise.race([new Promise<boolean>((resolve) => ws.once('open', () => resolve(true))), closed.then(() => false)]);
  if (!opened || options.init === false) return socket;
  const payload = { ...options.params, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  socket.send({ type: 'connection_init', payload });
  await Promise.race([socket.waitForFrame((f) => f.type === 'connection_ack', 5000).catch(() => undefined), closed]);
  return socket;
}

/** Waits until the server holds `count` subscription streams (in-process servers only). */
export async function untilStreams(stats: () => { streams: number }, count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (stats().streams < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} streams, have ${stats().streams}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Plays a WebSocket scenario against the server, and checks what the server did.
import WebSocket from 'ws';
import type { TestServer } from '../server.js';
import { ALLOWED_CLOSE_CODES, expectCodedError, expectGraphQLResult, isRecord, leakedText } from './answers.js';
import { mutateToken } from './credentials.js';
import { SOCKET_STEP_MS } from './run.js';
import type { InitChoice, WsScenario } from './ws-scenarios.js';

interface WsOutcome {
  /** An HTTP refusal of the upgrade. */
  upgradeStatus?: number;
  /** The client library gave up on the handshake itself (a subprotocol the server did not pick). */
  clientAbort?: string;
  messages: string[];
  close?: { code: number; reason: string; byServer: boolean };
  acked: boolean;
}

function initFrame(choice: InitChoice, token: string): string | null {
  switch (choice) {
    case 'none':
      return null;
    case 'bearer-live':
      return JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    case 'bearer-junk':
      return JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${mutateToken(token, { source: 'mutated', at: 5, how: 'flip', junk: '' })}` } });
    case 'no-payload':
      return JSON.stringify({ type: 'connection_init' });
    case 'payload-string':
      return JSON.stringify({ type: 'connection_init', payload: 'Bearer x' });
    case 'params-junk':
      return JSON.stringify({ type: 'connection_init', payload: { authorization: 42, token, cookie: token } });
  }
}

/** Listeners told whenever something happened on a socket. */
type Watchers = Set<() => void>;

/** Resolves when `check` holds (re-checked whenever the watchers are told) or after `ms`. */
function until(watchers: Watchers, check: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      watchers.delete(poke);
      resolve();
    };
    const poke = () => check() && done();
    const timer = setTimeout(done, ms);
    watchers.add(poke);
    poke();
  });
}

/**
 * Plays a scenario on a fresh socket and closes it; records everything the server did.
 * `settled`: wait (one socket step at most) until the messages so far satisfy it before closing. The closing
 * ping only shows that the server has read every frame: a subscribe is answered after an await.
 */
export async function playScenario(server: TestServer, s: WsScenario, token: string, settled?: (messages: string[]) => boolean): Promise<WsOutcome> {
  const headers: Record<string, string> = {};
  if (s.cookie !== 'none') headers.cookie = `sg_session=${s.cookie === 'live' ? token : 'junk'}`;
  if (s.origin !== 'none') headers.origin = s.origin === 'same' ? server.url : 'https://evil.example';
  const ws = new WebSocket(`${server.wsUrl}${s.path}`, s.protocols, { headers });
  const outcome: WsOutcome = { messages: [], acked: false };
  let clientClosing = false;
  // Read through phase(): the socket's handlers change it between awaits.
  const socketState: { phase: 'connecting' | 'open' | 'done' } = { phase: 'connecting' };
  const phase = () => socketState.phase;
  const watchers: Watchers = new Set();
  const notify = () => [...watchers].forEach((w) => w());
  ws.on('message', (data) => {
    const text = String(data);
    outcome.messages.push(text);
    if (text.includes('"connection_ack"')) outcome.acked = true;
    notify();
  });
  ws.on('unexpected-response', (_req, res) => {
    outcome.upgradeStatus = res.statusCode;
    socketState.phase = 'done';
    res.resume();
    notify();
  });
  ws.on('error', (err) => {
    outcome.clientAbort ??= err.message;
  });
  ws.on('open', () => {
    socketState.phase = 'open';
    notify();
  });
  ws.on('close', (code, reason) => {
    outcome.close = { code, reason: reason.toString(), byServer: !clientClosing };
    socketState.phase = 'done';
    notify();
  });
  await until(watchers, () => phase() !== 'connecting', SOCKET_STEP_MS);
  const init = initFrame(s.init, token);
  if (phase() === 'open' && init !== null) {
    ws.send(init);
    await until(watchers, () => outcome.acked || phase() === 'done', SOCKET_STEP_MS);
  }
  for (const frame of s.frames) if (phase() === 'open') ws.send(frame.data);
  if (settled) await until(watchers, () => phase() === 'done' || settled(outcome.messages), SOCKET_STEP_MS);
  if (phase() === 'open') {
    // A marked ping last: its pong (or a close) says the server has read everything before it.
    ws.send(JSON.stringify({ type: 'ping', payload: { fuzz: 'end' } }));
    await until(watchers, () => phase() === 'done' || outcome.messages.some((m) => m.includes('"fuzz":"end"')), SOCKET_STEP_MS);
  }
  if (phase() === 'open') {
    clientClosing = true;
    ws.close(1000);
    await until(watchers, () => phase() === 'done', SOCKET_STEP_MS);
  }
  if (phase() !== 'done') {
    ws.terminate();
    throw new Error(`the socket did not close within ${SOCKET_STEP_MS} ms of the client closing it`);
  }
  return outcome;
}

/** Throws unless a frame the server sent is a graphql-transport-ws message with coded errors. */
function expectProtocolFrame(text: string): void {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    throw new Error(`a non-JSON frame: ${text.slice(0, 200)}`);
  }
  if (!isRecord(frame) || typeof frame.type !== 'string') throw new Error(`a frame without a type: ${text.slice(0, 200)}`);
  switch (frame.type) {
    case 'connection_ack':
    case 'ping':
    case 'pong':
    case 'complete':
      break;
    case 'next':
      expectGraphQLResult(frame.payload);
      break;
    case 'error':
      if (!Array.isArray(frame.payload) || frame.payload.length === 0) throw new Error(`an error frame without errors: ${text.slice(0, 200)}`);
      frame.payload.forEach(expectCodedError);
      break;
    default:
      throw new Error(`an unknown frame type: ${text.slice(0, 200)}`);
  }
}

function describeScenario(s: WsScenario): string {
  const frames = s.frames.map((f) => (typeof f.data === 'string' ? f.data.slice(0, 200) : `<${f.data.length} bytes>`));
  return JSON.stringify({ ...s, frames });
}

/** Throws unless the socket got only protocol frames and a graphql-ws close. */
export function expectWellBehavedSocket(s: WsScenario, outcome: WsOutcome): void {
  const fail = (why: string): never => {
    throw new Error(`${why}\n  scenario: ${describeScenario(s)}\n  outcome:  ${JSON.stringify(outcome).slice(0, 1500)}`);
  };
  if (outcome.upgradeStatus !== undefined) {
    if (outcome.upgradeStatus >= 500) fail(`upgrade refused with ${outcome.upgradeStatus}`);
    return;
  }
  for (const message of outcome.messages) {
    try {
      expectProtocolFrame(message);
    } catch (err) {
      fail((err as Error).message);
    }
    const sent = s.frames.map((f) => (typeof f.data === 'string' ? f.data : '')).join('\n');
    const leaks = leakedText(message, sent);
    if (leaks.length > 0) fail(`internal text in a frame: ${leaks.join(', ')}`);
  }
  const close = outcome.close;
  if (!close) return fail('no close event');
  // The client closes with 1000 only: any other code is the server's, even if its close crossed ours.
  if (!close.byServer && close.code === 1000) return;
  // The client library itself refuses a handshake without the subprotocol it asked for.
  if (outcome.clientAbort && close.code === 1006 && !s.protocols.includes('graphql-transport-ws')) return;
  if (!ALLOWED_CLOSE_CODES.has(close.code)) fail(`closed by the server with ${close.code} ${close.reason}`);
}

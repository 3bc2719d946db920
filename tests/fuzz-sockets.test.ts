// Adversarial, property-based tests (issue #7), WebSocket: random subprotocols, cookies, origins,
// connection_init payloads and frames. The server answers with graphql-ws frames and coded errors,
// or closes with a graphql-ws close code; afterwards it holds no socket. Seeds and run counts:
// tests/helpers/fuzz/run.ts.
import fc from 'fast-check';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { expectCodedError } from './helpers/fuzz/answers.js';
import { checkProperty, Tally } from './helpers/fuzz/run.js';
import { expectStillServing, fuzzTargets } from './helpers/fuzz/targets.js';
import { expectWellBehavedSocket, playScenario } from './helpers/fuzz/ws-play.js';
import { textFrame, wsScenario } from './helpers/fuzz/ws-scenarios.js';

const file = fuzzTargets();

describe('random WebSocket frames', () => {
  it('answers every socket with protocol frames or closes it with a graphql-ws code, never 1011 or 4500', async () => {
    // A socket that never sends connection_init, opened beside the property: it must end with 4408.
    const idle = new WebSocket(file.server.wsUrl, 'graphql-transport-ws');
    idle.on('error', () => undefined);
    const idleClosed = new Promise<number>((resolve) => idle.on('close', (code) => resolve(code)));
    const tally = new Tally();
    await checkProperty('sockets', 4, 200, fc.asyncProperty(wsScenario(file.known), async (s) => {
      const outcome = await playScenario(file.server, s, file.victim.token);
      expectWellBehavedSocket(s, outcome);
      tally.add(outcome.upgradeStatus !== undefined ? `http ${outcome.upgradeStatus}` : `${outcome.close?.byServer ? 'server' : 'client'} ${outcome.close?.code}`);
      // A subscribed mutation may have signed the victim out: sign in again.
      const refusedLive = s.init === 'bearer-live' && s.cookie === 'none' && outcome.close?.code === 4403;
      if (refusedLive || outcome.messages.some((m) => m.includes('UNAUTHENTICATED'))) await file.victim.refresh();
    }));
    tally.print('sockets');
    const idleCode = await Promise.race([idleClosed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 7000))]);
    idle.terminate();
    expect(idleCode).toBe(4408);
  }, 90_000);

  // Regressions: bugs this fuzzing found, fixed in 7d2bcfe.
  const hasErrorFrame = (messages: string[]) => messages.some((m) => m.includes('"type":"error"'));

  // A server-to-client type (next, error, connection_ack) from a client closed the socket with 4500
  // Internal server error and an error-level log line, where the protocol says 4400.
  it('closes a socket that sends a server-only message type with 4400, not 4500', async () => {
    const outcome = await playScenario(file.server, { protocols: ['graphql-transport-ws'], cookie: 'none', origin: 'none', path: '', init: 'bearer-live', frames: [textFrame({ type: 'next', id: '1', payload: { data: null } })] }, file.victim.token);
    expect(outcome.close).toMatchObject({ byServer: true, code: 4400 });
  });

  // graphql-armor's depth, alias, directive and cost rules throw from validate(); onSubscribe
  // (server/live/ws.ts) did not catch it, so the whole socket was closed with 4500.
  it('answers a subscribe over the depth limit with an error frame, and keeps the socket open', async () => {
    const deep = `{ me { ${'memberships { organization { members { user { '.repeat(3)}id${' } } } }'.repeat(3)} } }`;
    const subscribe = textFrame({ type: 'subscribe', id: '1', payload: { query: deep } });
    const outcome = await playScenario(file.server, { protocols: ['graphql-transport-ws'], cookie: 'none', origin: 'none', path: '', init: 'bearer-live', frames: [subscribe] }, file.victim.token, hasErrorFrame);
    expect(outcome.close).toMatchObject({ byServer: false, code: 1000 });
    const error = outcome.messages.map((m) => JSON.parse(m) as { type: string; payload?: unknown }).find((f) => f.type === 'error');
    expect((error?.payload as unknown[] | undefined)?.map(expectCodedError)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  // graphql-ws's own "Unable to identify operation" error (an operationName that names no
  // operation of the document) reached the client without extensions.code: no onError hook.
  it('codes the error for a subscribe whose operation cannot be identified', async () => {
    const subscribe = textFrame({ type: 'subscribe', id: '1', payload: { query: '{ me { id } }', operationName: 'Nope' } });
    const outcome = await playScenario(file.server, { protocols: ['graphql-transport-ws'], cookie: 'none', origin: 'none', path: '', init: 'bearer-live', frames: [subscribe] }, file.victim.token, hasErrorFrame);
    const error = outcome.messages.map((m) => JSON.parse(m) as { type: string; payload?: unknown }).find((f) => f.type === 'error');
    expect(Array.isArray(error?.payload)).toBe(true);
    expect((error?.payload as unknown[]).map(expectCodedError)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  });
});

describe('afterwards', () => {
  it('still serves a valid request, and holds no socket once the clients have closed theirs', async () => {
    await expectStillServing(file.server);
  });
});

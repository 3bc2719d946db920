// Generators of WebSocket scenarios: subprotocols, cookies, origins, connection_init and frames.
import type { Arbitrary } from 'fast-check';
import fc from 'fast-check';
import { documentArbitrary } from './documents.js';
import type { KnownIds } from './targets.js';
import { anyValue, asciiString, graphqlName, oddText, variablesFor } from './values.js';

export type InitChoice = 'none' | 'bearer-live' | 'bearer-junk' | 'no-payload' | 'payload-string' | 'params-junk';

interface WsFrame {
  data: string | Uint8Array;
}

export interface WsScenario {
  protocols: string[];
  cookie: 'none' | 'live' | 'junk';
  origin: 'none' | 'same' | 'evil';
  path: string;
  init: InitChoice;
  frames: WsFrame[];
}

export function textFrame(value: unknown): WsFrame {
  return { data: JSON.stringify(value) ?? 'undefined' };
}

/**
 * One client frame. `wild` adds frames that break the protocol (junk, binary, oversized, wrong
 * shapes); without it, frames follow the protocol so that scenarios reach subscribe handling.
 */
function wsFrame(known: KnownIds, wild: boolean): Arbitrary<WsFrame> {
  const protocolId = fc.constantFrom('1', '2', '3', '4', '5', 'a');
  const id = fc.oneof(fc.constantFrom('1', '2', 'a', ''), fc.constant(1), fc.constant(null), asciiString(20));
  const subscribe = documentArbitrary().chain((d) =>
    fc.record({ id: wild ? id : protocolId, variables: variablesFor(d.op, known), operationName: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: graphqlName }) }).map((r) => textFrame({ type: 'subscribe', id: r.id, payload: { query: d.query, variables: r.variables, operationName: r.operationName } })),
  );
  // Message types only a server sends.
  const serverOnly = fc
    .tuple(fc.constantFrom('next', 'error', 'connection_ack'), fc.constantFrom('1', '2'))
    .map(([type, frameId]) => textFrame(type === 'connection_ack' ? { type } : { type, id: frameId, payload: type === 'error' ? [{ message: 'x' }] : { data: null } }));
  const protocolFrames = [
    { weight: 4, arbitrary: subscribe },
    { weight: 2, arbitrary: protocolId.map((i) => textFrame({ type: 'subscribe', id: i, payload: { query: 'subscription { sessionEvents { type session { id } } }' } })) },
    { weight: 2, arbitrary: protocolId.map((i) => textFrame({ type: 'complete', id: i })) },
    { weight: 1, arbitrary: fc.constantFrom(textFrame({ type: 'ping' }), textFrame({ type: 'pong' }), textFrame({ type: 'ping', payload: { a: 1 } })) },
  ];
  if (!wild) return fc.oneof(...protocolFrames);
  return fc.oneof(
    ...protocolFrames,
    { weight: 2, arbitrary: id.map((i) => textFrame({ type: 'complete', id: i })) },
    { weight: 2, arbitrary: fc.constantFrom(textFrame({ type: 'ping', payload: 'x' }), textFrame({ type: 'connection_init' }), textFrame({ type: 'subscribe' }), textFrame({ type: 'subscribe', id: '1', payload: null }), textFrame({ type: 'subscribe', id: '1', payload: { query: 1 } })) },
    { weight: 1, arbitrary: serverOnly },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(textFrame) },
    { weight: 1, arbitrary: fc.record({ type: fc.oneof(graphqlName, oddText), id: fc.option(id), payload: fc.option(anyValue) }).map(textFrame) },
    { weight: 2, arbitrary: fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), oddText).map((data): WsFrame => ({ data })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((data): WsFrame => ({ data })) },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 80_000 }).map((n): WsFrame => ({ data: JSON.stringify({ type: 'subscribe', id: 'big', payload: { query: `{ me { id } } #${'x'.repeat(n)}` } }) })) },
  );
}

/** Half the scenarios are a well-behaved client's handshake with random operations after it. */
export function wsScenario(known: KnownIds): Arbitrary<WsScenario> {
  const wild: Arbitrary<WsScenario> = fc.record({
    protocols: fc.constantFrom(['graphql-transport-ws'], ['graphql-transport-ws'], [], ['graphql-ws'], ['foo', 'graphql-transport-ws']),
    cookie: fc.constantFrom('none', 'none', 'live', 'junk'),
    origin: fc.constantFrom('none', 'none', 'same', 'evil'),
    path: fc.constantFrom('', '', '', '?x=1', '/x', '/../graphql'),
    init: fc.constantFrom<InitChoice>('bearer-live', 'bearer-live', 'none', 'bearer-junk', 'no-payload', 'payload-string', 'params-junk'),
    frames: fc.array(wsFrame(known, true), { maxLength: 6 }),
  });
  const handshaken: Arbitrary<WsScenario> = fc.record({
    protocols: fc.constant(['graphql-transport-ws']),
    cookie: fc.constantFrom('none', 'live'),
    origin: fc.constantFrom('none', 'same'),
    path: fc.constant(''),
    init: fc.constant<InitChoice>('bearer-live'),
    frames: fc.array(wsFrame(known, false), { minLength: 1, maxLength: 8 }),
  });
  return fc.oneof(wild, handshaken);
}

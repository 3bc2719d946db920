// Live sessions over graphql-ws, the graphql-transport-ws protocol: queries and mutations over the
// socket, coded errors, complete from the client, operation names, ids and the subprotocol.
import { describe, expect, it } from 'vitest';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { graphql } from './gql/index.js';
import { documentText, gql, signIn, signUp, WHO_AM_I } from './helpers/graphql.js';
import { live, REVOKE } from './helpers/live.js';
import { serverForFile } from './helpers/per-file.js';
import { openLive, untilStreams } from './helpers/ws.js';

const file = serverForFile();
const stats = () => file.server.app.registry.stats();
const ME_AND_SESSIONS = graphql(`query MeAndCurrentSession { me { id } sessions { id isCurrent } }`);

describe('the graphql-transport-ws protocol', () => {
  it('answers a query and a mutation over the socket with next, then complete', async () => {
    const u = await signUp(file.server);
    const other = await signIn(file.server, u);
    const socket = await openLive(file.server.wsUrl, { token: u.token });
    socket.subscribe('q', documentText(ME_AND_SESSIONS));
    const next = await socket.waitForFrame((f) => f.type === 'next' && f.id === 'q');
    const data = (next.payload as { data: ResultOf<typeof ME_AND_SESSIONS> }).data;
    expect(data.me.id).toBe(u.userId);
    expect(data.sessions.filter((s) => s.isCurrent).map((s) => s.id)).toEqual([u.sessionId]);
    await socket.waitForFrame((f) => f.type === 'complete' && f.id === 'q');
    socket.send({ type: 'subscribe', id: 'm', payload: { query: documentText(REVOKE), variables: { id: other.sessionId } } });
    const revoked = await socket.waitForFrame((f) => f.type === 'next' && f.id === 'm');
    expect(revoked.payload).toEqual({ data: { revokeSession: { id: other.sessionId } } });
    expect((await gql(file.server, WHO_AM_I, undefined, other.auth)).code).toBe('UNAUTHENTICATED');
    socket.close();
  });

  it('a coded error in a query result is sent as next, without internal detail', async () => {
    const u = await signUp(file.server);
    const socket = await openLive(file.server.wsUrl, { token: u.token });
    socket.send({ type: 'subscribe', id: 'e', payload: { query: documentText(REVOKE), variables: { id: u.sessionId } } });
    const next = await socket.waitForFrame((f) => f.type === 'next' && f.id === 'e');
    const errors = (next.payload as { errors: { extensions: Record<string, unknown> }[] }).errors;
    expect(errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(errors[0]!.extensions.http).toBeUndefined();
    await socket.waitForFrame((f) => f.type === 'complete' && f.id === 'e');
    socket.close();
  });

  it('complete from the client ends the subscription: no more events, the stream is released', async () => {
    const u = await signUp(file.server);
    const [socket] = await live(file.server, u);
    const streams = stats().streams;
    socket!.send({ type: 'complete', id: '1' });
    const deadline = Date.now() + 3000;
    while (stats().streams >= streams && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(stats().streams).toBe(streams - 1);
    await signIn(file.server, u);
    // A ping's pong comes after anything the server had to send before it.
    socket!.send({ type: 'ping', payload: { n: 1 } });
    expect((await socket!.waitForFrame((f) => f.type === 'pong')).payload).toEqual({ n: 1 });
    expect(socket!.events).toEqual([]);
    // The id is free again.
    socket!.subscribe('1');
    await untilStreams(stats, streams);
    socket!.close();
  });

  it('an operation name that names no operation is an error message', async () => {
    const u = await signUp(file.server);
    const socket = await openLive(file.server.wsUrl, { token: u.token });
    // A text document: its operation and the name asked for disagree on purpose.
    socket.send({ type: 'subscribe', id: 'x', payload: { query: 'query A { me { id } }', operationName: 'B' } });
    const frame = await socket.waitForFrame((f) => f.type === 'error' && f.id === 'x');
    const errors = frame.payload as { extensions?: { code?: unknown } }[];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => typeof e.extensions?.code === 'string')).toBe(true);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.close();
  });

  it('a duplicate id too long for a close reason still closes with 4409', async () => {
    const u = await signUp(file.server);
    const socket = await openLive(file.server.wsUrl, { token: u.token });
    const id = 'é'.repeat(100);
    socket.subscribe(id);
    socket.subscribe(id);
    expect(await socket.closed).toMatchObject({ code: 4409, reason: 'Subscriber already exists' });
  });

  it('refuses a socket without the graphql-transport-ws subprotocol with 4406', async () => {
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(file.server.wsUrl);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(4406);
  });
});

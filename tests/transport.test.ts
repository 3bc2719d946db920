// The transport (server/live/protocol.ts) on its own, through its declared interface only
// (server/live/transport.ts): a plain schema, hooks of a few lines, the official graphql-ws client.
// A subscription's source may be an ordinary async iterable (an async generator) or an
// EventSource; an EventStream is also an ordinary async iterable for whoever pulls it.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, validate } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { closeCode } from '../client/src/close-codes.js';
import { CloseCode } from '../server/live/close-codes.js';
import { PROTOCOL, ProtocolSocket } from '../server/live/protocol.js';
import { EventStream } from '../server/live/stream.js';
import type { TransportHooks } from '../server/live/transport.js';

/** The EventStream the `pushed` field hands out, for the test to push into. */
let pushed: EventStream<number> | null = null;
/** Set once the `count` generator has run its `finally` (ended, or returned by the transport). */
let generatorDone = 0;

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      count: {
        type: new GraphQLNonNull(GraphQLInt),
        args: { to: { type: new GraphQLNonNull(GraphQLInt) }, failAt: { type: GraphQLInt } },
        subscribe: async function* (_root: unknown, { to, failAt }: { to: number; failAt?: number }) {
          try {
            for (let n = 1; n <= to; n++) {
              if (n === failAt) throw new Error(`failed at ${n}`);
              await new Promise((resolve) => setTimeout(resolve, 5));
              yield n;
            }
          } finally {
            generatorDone++;
          }
        },
        resolve: (n: unknown) => n,
      },
      pushed: {
        type: new GraphQLNonNull(GraphQLInt),
        subscribe: () => (pushed = new EventStream<number>(() => undefined)),
        resolve: (n: unknown) => n,
      },
    },
  }),
});

const completed: string[] = [];
const hooks: TransportHooks<ProtocolSocket> = {
  onConnect: (_socket, params) => params.token === 'let-me-in',
  onSubscribe: (_socket, _id, payload) => {
    const document = parse(payload.query);
    const errors = validate(schema, document);
    return errors.length > 0 ? errors : { args: { schema, document, variableValues: payload.variables } };
  },
  onComplete: (_socket, id) => completed.push(id),
  present: (error) => error,
};

const http = createServer();
const wss = new WebSocketServer({ server: http, handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false) });
wss.on('connection', (ws, request) => {
  const socket = new ProtocolSocket(ws, hooks, { initTimeoutMs: 2000, stream: request.socket });
  ws.on('message', (data: Buffer) => void socket.receive(String(data)).catch(() => socket.close(CloseCode.InternalServerError, 'Internal server error')));
  ws.on('close', () => socket.closed());
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  for (const ws of wss.clients) ws.terminate();
  await new Promise((resolve) => wss.close(resolve));
  await new Promise((resolve) => http.close(resolve));
});

function client(token = 'let-me-in'): Client {
  return createClient({ url, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0, lazy: true });
}

async function all(c: Client, query: string): Promise<unknown[]> {
  const results: unknown[] = [];
  for await (const result of c.iterate({ query })) results.push(result);
  return results;
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(condition()).toBe(true);
};

describe('the transport through its declared interface', () => {
  it('answers a query, and refuses a connection_init its hook refuses with 4403', async () => {
    const c = client();
    expect(await all(c, '{ hello }')).toEqual([{ data: { hello: 'world' } }]);
    await c.dispose();
    const refused = await all(client('wrong'), '{ hello }').catch((err: unknown) => err);
    expect(closeCode(refused)).toBe(CloseCode.Forbidden);
  });

  it('an async generator is a subscription source: each value, then complete; its id reaches onComplete', async () => {
    const c = client();
    expect(await all(c, 'subscription { count(to: 3) }')).toEqual([1, 2, 3].map((count) => ({ data: { count } })));
    await until(() => completed.length > 0);
    expect(generatorDone).toBeGreaterThan(0);
    await c.dispose();
  });

  it('a client that stops early ends the generator (return); one that throws is an error message', async () => {
    const c = client();
    const before = generatorDone;
    for await (const result of c.iterate({ query: 'subscription { count(to: 1000) }' })) {
      expect(result).toEqual({ data: { count: 1 } });
      break;
    }
    await until(() => generatorDone === before + 1);
    const failed = await all(c, 'subscription { count(to: 5, failAt: 2) }').catch((err: unknown) => err);
    expect(failed).toMatchObject([{ message: 'failed at 2' }]);
    await c.dispose();
  });

  it('an EventSource is pushed: an event that executes at once is handed on in the same turn (finish answers without a promise)', async () => {
    const c = client();
    pushed = null;
    const results: unknown[] = [];
    const done = (async () => {
      for await (const result of c.iterate({ query: 'subscription { pushed }' })) results.push(result);
    })();
    await until(() => pushed !== null);
    const stream = pushed as unknown as EventStream<number>;
    stream.push(1);
    expect(stream.finish(2)).toBeUndefined();
    expect(stream.ended).toBe(true);
    await done;
    expect(results).toEqual([{ data: { pushed: 1 } }, { data: { pushed: 2 } }]);
    await c.dispose();
  });
});

describe('EventStream is an ordinary async iterable', () => {
  it('pulled: every event in order, the last one given to finish, then done', async () => {
    let returned = 0;
    const stream = new EventStream<number>(() => returned++);
    stream.push(1);
    const seen: number[] = [];
    const pulling = (async () => {
      for await (const n of stream) seen.push(n);
    })();
    stream.push(2);
    const finished = stream.finish(3);
    expect(finished).toBeInstanceOf(Promise);
    await pulling;
    await finished;
    expect(seen).toEqual([1, 2, 3]);
    expect(returned).toBe(1);
  });

  it('a consumer that breaks off ends the stream', async () => {
    let returned = 0;
    const stream = new EventStream<number>(() => returned++);
    stream.push(1);
    stream.push(2);
    for await (const n of stream) {
      expect(n).toBe(1);
      break;
    }
    expect(stream.ended).toBe(true);
    expect(returned).toBe(1);
  });
});

describe('the transport module knows nothing of sessions', () => {
  it('imports nothing of sessions, auth, the database, the registry, the bus or the gateway\'s sockets', () => {
    const gateway = /^(\.\.\/(sessions|auth|db|process|schema|http)\/|\.\/(registry|connection|bus|reconcile|gateway-socket|ws|stream|event-executor)\.js$|ioredis|graphql-yoga|@prisma)/;
    for (const name of ['protocol.ts', 'transport.ts', 'event-source.ts', 'protocol-messages.ts', 'close-codes.ts']) {
      const source = readFileSync(new URL(`../server/live/${name}`, import.meta.url), 'utf8');
      const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      expect(imports.filter((i) => gateway.test(i)), name).toEqual([]);
    }
  });
});

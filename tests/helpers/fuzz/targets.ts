// The fuzz files' targets: each file's own server, and users whose real ids and tokens the random
// input may use (and may revoke).
import { beforeAll, expect } from 'vitest';
import { graphql } from '../../gql/index.js';
import type { TestUser } from '../graphql.js';
import { ok, signIn, signUp, uniqueEmail, WHO_AM_I } from '../graphql.js';
import { serverForFile, started } from '../per-file.js';
import type { TestServer } from '../server.js';

/**
 * A signed-in user whose token random requests may present. Random mutations can sign it out,
 * revoke or switch its session; `refresh` signs in again when a live-token request was refused.
 */
export class LiveUser {
  constructor(
    private readonly server: TestServer,
    public user: TestUser,
  ) {}

  get token(): string {
    return this.user.token;
  }

  async refresh(): Promise<void> {
    this.user = await signIn(this.server, this.user);
  }
}

/** Ids the generators mix into variables so that resolvers get past "not found" sometimes. */
export interface KnownIds {
  userIds: string[];
  organizationIds: string[];
  sessionIds: string[];
  emails: string[];
}

export interface FuzzTargets {
  readonly server: TestServer;
  /** A live session of a user with a few more, which random mutations may revoke. */
  readonly victim: LiveUser;
  readonly known: KnownIds;
  /** The token of a signed-out session. */
  readonly revokedToken: string;
}

/** The file's server, and the users and ids the generators draw on, made in beforeAll. */
export function fuzzTargets(): FuzzTargets {
  const file = serverForFile();
  let made: { victim: LiveUser; known: KnownIds; revokedToken: string } | undefined;
  beforeAll(async () => {
    const server = file.server;
    const first = await signUp(server);
    const second = await signIn(server, first);
    const victim = new LiveUser(server, await signIn(server, first));
    const other = await signUp(server);
    const gone = await signIn(server, other);
    await ok(server, graphql(`mutation SignOut { signOut }`), undefined, gone.auth);
    made = {
      victim,
      revokedToken: gone.token,
      known: {
        userIds: [first.userId, other.userId],
        organizationIds: [first.organizationId, other.organizationId],
        sessionIds: [first.sessionId, second.sessionId, victim.user.sessionId, other.sessionId, gone.sessionId],
        emails: [first.email, other.email, uniqueEmail('fuzz')],
      },
    };
  });
  return {
    get server() {
      return file.server;
    },
    get victim() {
      return started('victim', made).victim;
    },
    get known() {
      return started('known ids', made).known;
    },
    get revokedToken() {
      return started('revoked token', made).revokedToken;
    },
  };
}

/** After the random input: the server still serves a valid request, and holds no socket. */
export async function expectStillServing(server: TestServer): Promise<void> {
  const user = await signUp(server);
  const data = await ok(server, WHO_AM_I, undefined, user.auth);
  expect(data.me.id).toBe(user.userId);
  const deadline = Date.now() + 5000;
  while ((server.app.sockets.clients() > 0 || server.app.registry.stats().connections > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(server.app.sockets.clients()).toBe(0);
  expect(server.app.registry.stats()).toEqual({ connections: 0, sessions: 0, users: 0, streams: 0 });
}

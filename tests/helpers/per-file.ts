// A test file's own server (and what else its tests share), started in beforeAll and stopped in
// afterAll. The values are read through the returned object, inside tests and hooks.
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../server/process/config.js';
import type { TestUser } from './graphql.js';
import { signUp } from './graphql.js';
import type { TestServer } from './server.js';
import { startServer } from './server.js';

/** The value once its beforeAll has run; before, a clear error rather than `undefined`. */
export function started<T>(what: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`${what} is not started yet: read it inside a test or a hook`);
  return value;
}

/** `overrides` is called in beforeAll, so it may read what an earlier hook started. */
/** `logTo`: a stream that receives the server's JSON log lines. */
export function serverForFile(overrides: () => Partial<Config> = () => ({}), logTo?: NodeJS.WritableStream): { readonly server: TestServer } {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer(overrides(), logTo);
  });
  afterAll(() => server?.stop());
  return {
    get server() {
      return started('server', server);
    },
  };
}

/** The file's server and a user signed up on it (the owner of their organisation). */
export function serverWithOwner(): { readonly server: TestServer; readonly owner: TestUser } {
  const file = serverForFile();
  let owner: TestUser | undefined;
  beforeAll(async () => {
    owner = await signUp(file.server);
  });
  return {
    get server() {
      return file.server;
    },
    get owner() {
      return started('owner', owner);
    },
  };
}

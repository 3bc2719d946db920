// A two-step sign-in leaves nothing counted once its code proved right: the password step, made in
// another request, is taken back too (else every MFA sign-in would use up the address's budget).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeOf, complete, mfaConfig, mfaUser, nextCode } from './helpers/mfa.js';
import { from, limited, newAddress } from './helpers/rate-limits.js';
import type { TestServer } from './helpers/server.js';
import { startServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(mfaConfig(limited({ signInFailuresPerIp: 2, signInFailuresPerAccount: 2 })));
});
afterAll(() => server?.stop());

describe('rate limits with a second factor', () => {
  it('five two-step sign-ins in a row from one address, under a failure budget of two', async () => {
    const user = await mfaUser(server);
    const address = newAddress();
    for (let i = 0; i < 5; i++) {
      const challenge = await challengeOf(server, user, undefined, from(address));
      const res = await complete(server, challenge, await nextCode(server, user.secret), { headers: from(address) });
      expect(res.code, `sign-in ${i + 1}`).toBeUndefined();
    }
  });
});

// Adversarial, property-based tests (issue #7), credentials: live, mutated, revoked and made-up
// tokens in Authorization headers and cookies. Only a live token, verbatim, opens its session;
// anything else is 401 UNAUTHENTICATED. Seeds and run counts: tests/helpers/fuzz/run.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signUp } from './helpers/graphql.js';
import type { TokenPool } from './helpers/fuzz/credentials.js';
import { credentialCase, credentialHeaders } from './helpers/fuzz/credentials.js';
import { probeHttp } from './helpers/fuzz/http.js';
import { checkProperty, Tally } from './helpers/fuzz/run.js';
import { expectStillServing, fuzzTargets } from './helpers/fuzz/targets.js';

const file = fuzzTargets();

describe('random credentials', () => {
  it('accepts a session only for its own live token, and answers anything else with 401 UNAUTHENTICATED', async () => {
    // Its own user: nothing here revokes sessions, so the live token stays live throughout.
    const user = await signUp(file.server);
    const pool: TokenPool = { live: user.token, revoked: file.revokedToken };
    const tally = new Tally();
    await checkProperty('credentials', 2, 250, fc.asyncProperty(credentialCase, async (c) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...credentialHeaders(c, pool) };
      const answer = await probeHttp(file.server, { method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query: '{ me { id } }' }) });
      const presented = Object.values(headers).join('\n');
      const canonical = headers.authorization === `Bearer ${user.token}` || (headers.authorization === undefined && headers.cookie === `sg_session=${user.token}`);
      const accepted = answer.status === 200 && answer.codes.length === 0;
      tally.add(accepted ? 'accepted' : `${answer.status}:${answer.codes.join(',')}`);
      const context = `headers ${JSON.stringify(headers).slice(0, 300)} → ${answer.status} ${answer.text.slice(0, 200)}`;
      // Only the live token, verbatim, opens the session; it is the only session it can open.
      if (!presented.includes(user.token)) expect(accepted, context).toBe(false);
      if (canonical) expect(accepted, context).toBe(true);
      if (accepted) expect(answer.text, context).toContain(user.userId);
      else expect({ status: answer.status, codes: answer.codes }, context).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
    }));
    tally.print('credentials');
  }, 90_000);
});

describe('afterwards', () => {
  it('still serves a valid request, and holds no socket once the clients have closed theirs', async () => {
    await expectStillServing(file.server);
  });
});

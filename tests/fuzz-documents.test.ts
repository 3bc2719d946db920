// Adversarial, property-based tests (issue #7), documents: random and mutated GraphQL documents and
// variables go at a running gateway over POST. Whatever a client sends, the answer must be a
// well-formed, coded GraphQL response: never a 5xx, a stack trace or internal text. Afterwards the
// server still serves a valid request. Seeds and run counts: tests/helpers/fuzz/run.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutateToken } from './helpers/fuzz/credentials.js';
import { documentArbitrary } from './helpers/fuzz/documents.js';
import { probeHttp } from './helpers/fuzz/http.js';
import { checkProperty, Tally } from './helpers/fuzz/run.js';
import { expectStillServing, fuzzTargets } from './helpers/fuzz/targets.js';
import { graphqlName, variablesFor } from './helpers/fuzz/values.js';

const file = fuzzTargets();

describe('random and mutated GraphQL documents over POST', () => {
  it('answers every document with a well-formed, coded GraphQL response', async () => {
    const tally = new Tally();
    const request = documentArbitrary().chain((document) =>
      fc.record({
        document: fc.constant(document),
        variables: variablesFor(document.op, file.known),
        // Mostly well-formed envelopes, so that most cases reach parsing, validation and resolvers.
        operationName: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constant(/^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(document.query)?.[1]) }, { weight: 1, arbitrary: graphqlName }),
        queryAs: fc.oneof({ weight: 12, arbitrary: fc.constant('string') }, { weight: 1, arbitrary: fc.constantFrom('number', 'array', 'object', 'null', 'missing') }),
        auth: fc.constantFrom('none', 'live', 'live', 'mutated', 'cookie'),
      }),
    );
    await checkProperty('documents', 1, 300, fc.asyncProperty(request, async (r) => {
      const body: Record<string, unknown> = { variables: r.variables, operationName: r.operationName };
      const asQuery: Record<string, unknown> = { string: r.document.query, number: 42, array: [r.document.query], object: { query: r.document.query }, null: null };
      if (r.queryAs !== 'missing') body.query = asQuery[r.queryAs];
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (r.auth === 'live') headers.authorization = `Bearer ${file.victim.token}`;
      if (r.auth === 'mutated') headers.authorization = `Bearer ${mutateToken(file.victim.token, { source: 'mutated', at: r.document.query.length, how: 'flip', junk: '' })}`;
      if (r.auth === 'cookie') headers.cookie = `sg_session=${file.victim.token}`;
      const answer = await probeHttp(file.server, { method: 'POST', path: '/graphql', headers, body: JSON.stringify(body) });
      tally.add(`${answer.status}:${answer.codes[0] ?? 'data'}`);
      // Random mutations may sign the victim out or switch its session: sign in again.
      if ((r.auth === 'live' || r.auth === 'cookie') && answer.codes.includes('UNAUTHENTICATED')) await file.victim.refresh();
    }));
    tally.print('documents');
  }, 90_000);

  it('leaves Object.prototype alone whatever the variables say', async () => {
    for (const variables of ['{"__proto__":{"polluted":1}}', '{"input":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}']) {
      const body = `{"query":"mutation($input: SignInInput!) { signIn(input: $input) { token } }","variables":${variables}}`;
      const answer = await probeHttp(file.server, { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body });
      expect(answer.status).toBeLessThan(500);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('afterwards', () => {
  it('still serves a valid request, and holds no socket once the clients have closed theirs', async () => {
    await expectStillServing(file.server);
  });
});

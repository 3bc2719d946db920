// Adversarial, property-based tests (issue #7), transports: random methods, content types, Accept
// headers, CSRF headers and body encodings. Every answer is a well-formed GraphQL response or a
// documented refusal, and a request a page on another origin can send without a preflight never
// runs an operation. Seeds and run counts: tests/helpers/fuzz/run.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectGraphQLResult, SIMPLE_CONTENT_TYPES } from './helpers/fuzz/answers.js';
import { describeProbe, probeHttp, send } from './helpers/fuzz/http.js';
import { checkProperty, Tally } from './helpers/fuzz/run.js';
import { expectStillServing, fuzzTargets } from './helpers/fuzz/targets.js';
import { transportCase, transportProbe } from './helpers/fuzz/transports.js';

const file = fuzzTargets();

describe('random transports: methods, content types, Accept, CSRF header, bodies', () => {
  it('answers every request with a well-formed GraphQL response or a documented refusal', async () => {
    const tally = new Tally();
    await checkProperty('transports', 3, 250, fc.asyncProperty(transportCase(file.known), async (c) => {
      const probe = transportProbe(c);
      const answer = await probeHttp(file.server, probe);
      tally.add(`${c.method.toUpperCase()} ${answer.status}${answer.codes[0] ? `:${answer.codes[0]}` : ''}`);
      // CSRF: what a page on another origin can send without a preflight never runs an operation.
      const method = c.method.toUpperCase();
      const essence = (probe.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const simple = ['GET', 'HEAD', 'POST'].includes(method) && !c.csrf && (probe.headers['content-type'] === undefined || SIMPLE_CONTENT_TYPES.has(essence));
      if (simple) expect(answer.executed, `a simple cross-origin request ran an operation: ${describeProbe(probe)} → ${answer.text.slice(0, 200)}`).toBe(false);
    }));
    tally.print('transports');
  }, 90_000);

  // Regressions: bugs this fuzzing found, fixed in 7d2bcfe.

  // Yoga answered 415 with no body: no coded error.
  it('answers an unsupported Content-Type (415) with a coded JSON error', async () => {
    const res = await send(file.server, { method: 'POST', path: '/graphql', headers: { 'content-type': 'text/plain', 'x-graphql-csrf': '1' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(415);
    expect(expectGraphQLResult(JSON.parse(res.text))).toEqual(['BAD_REQUEST']);
  });

  // Yoga's GET and urlencoded parsers JSON.parse `variables` and `extensions`; the SyntaxError was
  // masked as a 500 by server/graphql/mask-errors.ts.
  it('answers a GET whose variables are not JSON with 400 BAD_REQUEST, not 500', async () => {
    const res = await send(file.server, { method: 'GET', path: '/graphql?query=%7B__typename%7D&variables=%7B', headers: { 'x-graphql-csrf': '1' } });
    expect(res.status).toBe(400);
    expect(expectGraphQLResult(JSON.parse(res.text))).toEqual(['BAD_REQUEST']);
  });

  // Yoga's "Must provide query string." comes with a code, so withCode (server/graphql/yoga-plugins.ts)
  // left its http.spec alone: 200 for application/json clients, where any other malformed
  // request is a 400.
  it('answers a request without a query with 400, like every other malformed request', async () => {
    const res = await send(file.server, { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"variables":{}}' });
    expect(expectGraphQLResult(JSON.parse(res.text))).toEqual(['BAD_REQUEST']);
    expect(res.status).toBe(400);
  });

  // Yoga answered 406 with no body: no coded error.
  it('answers an Accept it cannot serve (406) with a coded JSON error', async () => {
    const res = await send(file.server, { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', accept: 'foo/bar' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(406);
    expect(expectGraphQLResult(JSON.parse(res.text))).toEqual(['BAD_REQUEST']);
  });
});

describe('afterwards', () => {
  it('still serves a valid request, and holds no socket once the clients have closed theirs', async () => {
    await expectStillServing(file.server);
  });
});

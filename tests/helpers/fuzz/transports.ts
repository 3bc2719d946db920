// Generators of transports: methods, content types, Accept, the CSRF header and body encodings.
import type { Arbitrary } from 'fast-check';
import fc from 'fast-check';
import type { GeneratedDocument } from './documents.js';
import { documentArbitrary } from './documents.js';
import type { HttpProbe } from './http.js';
import type { KnownIds } from './targets.js';
import { asciiString, graphqlName, oddText, variablesFor } from './values.js';

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/graphql',
  'application/graphql+json',
  'application/graphql-response+json',
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/octet-stream',
  '*/*',
  'application/json, text/plain',
  'json',
];

const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
  '*/*',
  'text/event-stream',
  'multipart/mixed',
  'text/html',
  'text/html, */*',
  'application/json;q=0',
  'foo/bar',
  'application/*',
];

type BodyEncoding = 'json' | 'graphql' | 'urlencoded' | 'formdata' | 'bytes' | 'empty' | 'broken-json' | 'json-array' | 'json-scalar' | 'huge';

interface TransportCase {
  method: string;
  contentType: string | null;
  accept: string | null;
  csrf: boolean;
  encoding: BodyEncoding;
  document: GeneratedDocument;
  variables: unknown;
  operationName: string | null;
  rawQueryString: string | null;
  bytes: Uint8Array<ArrayBuffer>;
}

export function transportCase(known: KnownIds): Arbitrary<TransportCase> {
  return documentArbitrary().chain((document) =>
    fc.record({
      method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'SEARCH', 'FOO', 'get'),
      // Mostly what clients send, so that most cases get past content negotiation.
      contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: asciiString(30) }),
      accept: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom(...ACCEPTS) }, { weight: 1, arbitrary: asciiString(30) }),
      csrf: fc.boolean(),
      encoding: fc.constantFrom<BodyEncoding>('json', 'json', 'graphql', 'urlencoded', 'formdata', 'bytes', 'empty', 'broken-json', 'json-array', 'json-scalar', 'huge'),
      document: fc.constant(document),
      variables: variablesFor(document.op, known),
      operationName: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.oneof(graphqlName, oddText) }),
      rawQueryString: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.oneof(asciiString(40), fc.constantFrom('%', '%zz', 'query=%E0%A4%A', 'query=&query=', 'variables=%7B', 'query[]=x')) }),
      bytes: fc.uint8Array({ maxLength: 200 }).map((b) => new Uint8Array(b)),
    }),
  );
}

function jsonBody(c: TransportCase): Record<string, unknown> {
  const body: Record<string, unknown> = { query: c.document.query };
  if (c.variables !== undefined) body.variables = c.variables;
  if (c.operationName !== null) body.operationName = c.operationName;
  return body;
}

export function transportProbe(c: TransportCase): HttpProbe {
  const headers: Record<string, string> = {};
  if (c.contentType !== null) headers['content-type'] = c.contentType;
  if (c.accept !== null) headers.accept = c.accept;
  if (c.csrf) headers['x-graphql-csrf'] = '1';
  const method = c.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    const params = new URLSearchParams({ query: c.document.query });
    if (c.variables !== undefined) params.set('variables', JSON.stringify(c.variables) ?? 'undefined');
    if (c.operationName !== null) params.set('operationName', c.operationName);
    return { method: c.method, path: `/graphql?${c.rawQueryString ?? params.toString()}`, headers };
  }
  const json = JSON.stringify(jsonBody(c));
  let body: HttpProbe['body'];
  switch (c.encoding) {
    case 'json':
      body = json;
      break;
    case 'graphql':
      body = c.document.query;
      break;
    case 'urlencoded':
      body = new URLSearchParams({ query: c.document.query, variables: JSON.stringify(c.variables) ?? '' }).toString();
      break;
    case 'formdata': {
      // The GraphQL multipart request spec's fields (file uploads), with junk where files go.
      const form = new FormData();
      form.set('operations', json);
      form.set('map', JSON.stringify({ 0: ['variables.file'] }));
      form.set('0', new Blob([c.bytes]), 'x.bin');
      body = form;
      delete headers['content-type']; // fetch sets the boundary
      break;
    }
    case 'bytes':
      body = c.bytes;
      break;
    case 'empty':
      body = '';
      break;
    case 'broken-json':
      body = json.slice(0, Math.max(1, json.length - 1 - (c.bytes.length % Math.max(1, json.length - 1))));
      break;
    case 'json-array':
      body = JSON.stringify([jsonBody(c), jsonBody(c)]);
      break;
    case 'json-scalar':
      body = JSON.stringify(c.variables ?? null);
      break;
    case 'huge':
      body = JSON.stringify({ ...jsonBody(c), extensions: { pad: 'x'.repeat(110_000) } });
      break;
  }
  return { method: c.method, path: `/graphql${c.rawQueryString === null ? '' : `?${c.rawQueryString}`}`, headers, body };
}

// Generators of credentials: live, mutated, revoked and made-up tokens, in headers and cookies.
import type { Arbitrary } from 'fast-check';
import fc from 'fast-check';
import { asciiString } from './values.js';

type TokenSource = 'live' | 'mutated' | 'revoked' | 'random43' | 'ascii' | 'empty' | 'huge';

interface TokenChoice {
  source: TokenSource;
  /** For `mutated`: where and how the live token is changed. */
  at: number;
  how: 'flip' | 'drop' | 'add' | 'case' | 'pad' | 'truncate' | 'double' | 'quote';
  junk: string;
}

const tokenChoice: Arbitrary<TokenChoice> = fc.record({
  source: fc.constantFrom<TokenSource>('live', 'live', 'mutated', 'mutated', 'mutated', 'revoked', 'random43', 'ascii', 'empty', 'huge'),
  at: fc.nat(),
  how: fc.constantFrom('flip', 'drop', 'add', 'case', 'pad', 'truncate', 'double', 'quote'),
  junk: asciiString(60),
});

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A live token changed so that it no longer is one (a flipped character is always a different character). */
export function mutateToken(token: string, c: TokenChoice): string {
  const i = c.at % token.length;
  const ch = token[i] ?? 'A';
  switch (c.how) {
    case 'flip':
      return token.slice(0, i) + BASE64URL[(BASE64URL.indexOf(ch) + 1 + (c.at % 63)) % 64] + token.slice(i + 1);
    case 'drop':
      return token.slice(0, i) + token.slice(i + 1);
    case 'add':
      return token.slice(0, i) + (c.junk[0] ?? 'x') + token.slice(i);
    case 'case':
      return token === token.toUpperCase() ? token.toLowerCase() : token.toUpperCase();
    case 'pad':
      return `${token}=`;
    case 'truncate':
      return token.slice(0, i);
    case 'double':
      return token + token;
    case 'quote':
      return `"${token}"`;
  }
}

export interface TokenPool {
  live: string;
  revoked: string;
}

function tokenFrom(c: TokenChoice, pool: TokenPool): string {
  switch (c.source) {
    case 'live':
      return pool.live;
    case 'mutated':
      return mutateToken(pool.live, c);
    case 'revoked':
      return pool.revoked;
    case 'random43':
      return Array.from({ length: 43 }, (_, k) => BASE64URL[(c.junk.charCodeAt(k % Math.max(1, c.junk.length)) * (k + 7) + c.at) % 64] ?? 'A').join('');
    case 'ascii':
      return c.junk;
    case 'empty':
      return '';
    case 'huge':
      return 'A'.repeat(8_000);
  }
}

interface CredentialCase {
  authorization: { scheme: string; token: TokenChoice } | null;
  cookies: { name: string; token: TokenChoice }[];
  separator: string;
}

export const credentialCase: Arbitrary<CredentialCase> = fc.record({
  authorization: fc.option(fc.record({ scheme: fc.constantFrom('Bearer ', 'bearer ', 'BEARER ', 'Bearer  ', 'Bearer\t', 'Basic ', 'Token ', '', 'Bearer', 'Bearer x '), token: tokenChoice }), { nil: null }),
  cookies: fc.array(fc.record({ name: fc.constantFrom('sg_session', 'sg_session', '__Host-sg_session', 'SG_SESSION', 'sg_session2', 'other', 'sg_session '), token: tokenChoice }), { maxLength: 3 }),
  separator: fc.constantFrom('; ', ';', ', ', ';;'),
});

export function credentialHeaders(c: CredentialCase, pool: TokenPool): Record<string, string> {
  const headers: Record<string, string> = {};
  if (c.authorization) headers.authorization = `${c.authorization.scheme}${tokenFrom(c.authorization.token, pool)}`;
  if (c.cookies.length > 0) headers.cookie = c.cookies.map((k) => `${k.name}=${tokenFrom(k.token, pool)}`).join(c.separator);
  return headers;
}

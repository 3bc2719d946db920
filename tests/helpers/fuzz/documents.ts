// Generators of GraphQL documents: valid operations, mutated ones, ones over the limits, junk.
import type { Arbitrary } from 'fast-check';
import fc from 'fast-check';
import type { Operation } from './values.js';
import { graphqlName, hugeText, oddText, OPERATIONS } from './values.js';

/** Lexical tokens, whitespace included, so that edits keep the rest of the document intact. */
const TOKEN = /\.\.\.|"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\s+|[\s\S]/g;

type EditKind = 'delete' | 'duplicate' | 'insert' | 'replace' | 'swap' | 'truncate';

interface Edit {
  kind: EditKind;
  at: number;
  other: number;
  text: string;
}

const insertable: Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '}', '(', ')', '[', ']', ':', '$', '@', '!', '=', '|', '&', '...', '"', '#', ',', '{}', '}}}', '{{{'),
  graphqlName.map((n) => ` ${n} `),
  oddText,
  hugeText.map((t) => `"${t.slice(0, 20_000)}"`),
  fc.constantFrom('"""block\n"""', '99999999999999999999', '1.5e400', '-0', '$input', '@include(if: true)', '@skip(if: $x)', '@deprecated', '@nope', '...F', '... on User { id }', 'a: me { id }', '(first: 99999999)', '(first: "x")', 'fragment F on User { ...F }', 'query Q { me { id } }', '\\u0000'),
);

const edit: Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom<EditKind>('delete', 'duplicate', 'insert', 'insert', 'replace', 'swap', 'truncate'),
  at: fc.nat(),
  other: fc.nat(),
  text: insertable,
});

function applyEdits(query: string, edits: Edit[]): string {
  const tokens: string[] = [...(query.match(TOKEN) ?? [])];
  for (const e of edits) {
    if (tokens.length === 0) tokens.push('');
    const i = e.at % tokens.length;
    const j = e.other % tokens.length;
    if (e.kind === 'delete') tokens.splice(i, 1);
    else if (e.kind === 'duplicate') tokens.splice(i, 0, tokens[i] ?? '');
    else if (e.kind === 'insert') tokens.splice(i, 0, e.text);
    else if (e.kind === 'replace') tokens[i] = e.text;
    else if (e.kind === 'swap') [tokens[i], tokens[j]] = [tokens[j] ?? '', tokens[i] ?? ''];
    else tokens.length = i;
  }
  return tokens.join('');
}

export interface GeneratedDocument {
  /** The document sent; `string` except when a test sends a non-string `query`. */
  query: string;
  /** The valid operation it came from, for its variables' shapes. */
  op: Operation;
}

const anyOperation: Arbitrary<Operation> = fc.constantFrom(...OPERATIONS);

/** Documents over the limits: depth, aliases, directives, fragments, tokens. */
const overLimitDocument: Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 80 }).map((n) => `{ me { ${'memberships { organization { members { user { '.repeat(n)}id${' } } } }'.repeat(n)} } }`),
  fc.integer({ min: 1, max: 5_000 }).map((n) => '{'.repeat(n) + '}'.repeat(n)),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `{ auditEvents(first: ${'['.repeat(n)}1${']'.repeat(n)}) { id } }`),
  fc.integer({ min: 10, max: 200 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`),
  fc.integer({ min: 10, max: 300 }).map((n) => `{ me { id ${'@include(if: true) '.repeat(n)} } }`),
  fc.integer({ min: 2, max: 50 }).map((n) => `{ me { ...F0 } } ${Array.from({ length: n }, (_, i) => `fragment F${i} on User { id ...F${(i + 1) % n} }`).join(' ')}`),
  fc.integer({ min: 2, max: 40 }).map((n) => `{ __schema { types { ${'fields { type { '.repeat(n)}name${' } }'.repeat(n)} } } }`),
  fc.integer({ min: 1, max: 12 }).map((n) => `query ${'($a: Int)'.repeat(n)} { me { id } } ${'query { me { id } } '.repeat(n)}`),
);

export function documentArbitrary(): Arbitrary<GeneratedDocument> {
  return fc.oneof(
    { weight: 4, arbitrary: anyOperation.map((op) => ({ query: op.query, op })) },
    { weight: 5, arbitrary: fc.tuple(anyOperation, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([op, edits]) => ({ query: applyEdits(op.query, edits), op })) },
    { weight: 2, arbitrary: fc.tuple(anyOperation, overLimitDocument).map(([op, query]) => ({ query, op })) },
    { weight: 1, arbitrary: fc.tuple(anyOperation, fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), oddText, hugeText)).map(([op, query]) => ({ query, op })) },
  );
}

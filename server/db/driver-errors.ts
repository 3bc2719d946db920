// What a database error says, read from Prisma's error under the driver adapters. The PostgreSQL
// details sit in `meta.driverAdapterError.cause` (the adapter's own DriverAdapterError carries
// them in `cause`). Found by experiment, for a duplicate slug:
//   PostgreSQL (adapter-pg): { originalCode: '23505', kind: 'UniqueConstraintViolation', constraint: { index: 'Organization_slug_key' }, table: 'Organization' }
//   PGlite:                  { originalCode: '23505', kind: 'UniqueConstraintViolation', constraint: { fields: ['slug'] } }  (meta.modelName: 'Organization')
// and for U+0000 in a text parameter, on both: { originalCode: '22021', kind: 'postgres', code: '22021' }.
import { Prisma } from '../generated/prisma/client.js';

interface DriverCause {
  originalCode?: string;
  originalMessage?: string;
  kind?: string;
  code?: string;
  table?: string;
  constraint?: { index?: string; fields?: string[] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function driverCause(error: unknown): DriverCause | null {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const adapterError = error.meta?.driverAdapterError;
    return isObject(adapterError) && isObject(adapterError.cause) ? (adapterError.cause as DriverCause) : null;
  }
  if (error instanceof Error && error.name === 'DriverAdapterError' && isObject(error.cause)) return error.cause as DriverCause;
  return null;
}

/** The PostgreSQL SQLSTATE behind a database error, when there is one. */
export function sqlStateOf(error: unknown): string | undefined {
  const cause = driverCause(error);
  return cause?.originalCode ?? cause?.code;
}

/** Prisma's name of a unique index: `Model_field1_field2_key`. */
function indexName(model: string, fields: readonly string[]): string {
  return `${model}_${fields.join('_')}_key`;
}

/** The unique index a write violated, by name ('' when unnamed); null when the error is no unique violation. */
function violatedIndex(error: unknown): string | null {
  const cause = driverCause(error);
  const isPrismaP2002 = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
  if (!isPrismaP2002 && sqlStateOf(error) !== '23505') return null;
  if (cause?.constraint?.index) return cause.constraint.index;
  // PGlite gives the fields only; the index name is in PostgreSQL's own message (its wording is fixed).
  const named = cause?.originalMessage ? /unique constraint "([^"]+)"/.exec(cause.originalMessage)?.[1] : undefined;
  if (named) return named;
  const meta = error instanceof Prisma.PrismaClientKnownRequestError ? (error.meta ?? {}) : {};
  const fields = cause?.constraint?.fields ?? (Array.isArray(meta.target) ? meta.target.map(String) : undefined);
  const model = cause?.table ?? (typeof meta.modelName === 'string' ? meta.modelName : undefined);
  if (fields && model) return indexName(model, fields);
  return typeof meta.target === 'string' ? meta.target : '';
}

/**
 * True when the error is a unique violation; with a model and fields, of that unique index only
 * (`isUniqueViolation(err, 'Organization', ['slug'])`).
 */
export function isUniqueViolation(error: unknown, model?: string, fields?: readonly string[]): boolean {
  const index = violatedIndex(error);
  if (index === null) return false;
  return model === undefined || index === indexName(model, fields ?? []);
}

/** Driver adapter error kinds of a database that cannot be reached or does not answer. */
const UNREACHABLE_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError', 'DatabaseDoesNotExist']);

/** The driver adapter's own account: the database cannot be reached (refused, reset, timed out). */
export function isUnreachable(error: unknown): boolean {
  const kind = driverCause(error)?.kind;
  return kind !== undefined && UNREACHABLE_KINDS.has(kind);
}

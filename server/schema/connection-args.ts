// The arguments every connection takes, checked before the Pothos helpers read them (which would
// throw an uncoded error): a negative first or last, or a cursor that is not one of the list's,
// is BAD_USER_INPUT naming its argument; a page larger than MAX_PAGE is cut to it.
import { badInput } from '../graphql/errors.js';
import { isUuid } from './validate.js';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
}

/** The sizes for resolveCursorConnection or a Prisma connection, once first and last are checked. */
export function pageArgs(args: PageArgs): { defaultSize: number; maxSize: number } {
  for (const field of ['first', 'last'] as const) {
    const value = args[field];
    if (value != null && value < 0) badInput(field, `${field} cannot be negative.`);
  }
  return { defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE };
}

/**
 * A Prisma connection's query, once its cursor is decoded (`cursor: 'id'`): the id must be a
 * uuid, or the database would refuse it with an error of its own. A cursor that does not decode
 * at all is refused by the plugin (mask-errors.ts makes that BAD_USER_INPUT too).
 */
export function checkedIdCursor<Q extends { cursor?: unknown }>(query: Q, args: { after?: string | null; before?: string | null }): Q {
  const cursor = query.cursor as { id?: unknown } | undefined;
  if (cursor !== undefined && !(typeof cursor.id === 'string' && isUuid(cursor.id))) badInput(args.before ? 'before' : 'after', 'Not a cursor of this list.');
  return query;
}

// The Organisation page's list of members' sessions, patched by live events between answers of
// its query: most recently active first, as the server orders it.
import type { OrgSessionFieldsFragment } from './gql/graphql';

export type OrgSession = OrgSessionFieldsFragment;

export function sortByActivity(sessions: readonly OrgSession[]): OrgSession[] {
  return [...sessions].sort((a, b) => b.lastActiveAt.localeCompare(a.lastActiveAt) || b.id.localeCompare(a.id));
}

/** A REVOKED event removes its session; any other (CREATED, UPDATED, online changes) puts in its latest state. */
export function applyOrgEvent(list: readonly OrgSession[], event: { type: string; session: OrgSession }, userFilter: string | null): OrgSession[] {
  const rest = list.filter((s) => s.id !== event.session.id);
  if (event.type === 'REVOKED') return rest;
  if (userFilter && event.session.user.id !== userFilter) return [...list];
  return sortByActivity([...rest, event.session]);
}

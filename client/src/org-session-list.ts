// The Organisation page's list of members' sessions, patched by live events between answers of
// its query: most recently active first, as the server orders it.
import type { OrgSessionFieldsFragment } from './gql/graphql';

export type OrgSession = OrgSessionFieldsFragment;

export function sortByActivity(sessions: readonly OrgSession[]): OrgSession[] {
  return [...sessions].sort((a, b) => b.lastActiveAt.localeCompare(a.lastActiveAt) || b.id.localeCompare(a.id));
}

/**
 * CREATED adds its session, REVOKED removes it; any other event (UPDATED, ONLINE, OFFLINE) only
 * refreshes a session already listed: a socket's close after its revocation is no comeback.
 */
export function applyOrgEvent(list: readonly OrgSession[], event: { type: string; session: OrgSession }, userFilter: string | null): OrgSession[] {
  const listed = list.some((s) => s.id === event.session.id);
  const rest = list.filter((s) => s.id !== event.session.id);
  if (event.type === 'REVOKED') return rest;
  if (event.type !== 'CREATED' && !listed) return [...list];
  if (userFilter && event.session.user.id !== userFilter) return [...list];
  return sortByActivity([...rest, event.session]);
}

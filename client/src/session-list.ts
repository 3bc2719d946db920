// The live session list: the query's answer, kept current by the subscription's events.
import type { SessionFieldsFragment } from './gql/graphql';
import type { SessionEvent } from './live';

export type SessionItem = SessionFieldsFragment;

/** The current session first, then the most recently active. */
export function sortSessions(list: readonly SessionItem[]): SessionItem[] {
  return [...list].sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent) || b.lastActiveAt.localeCompare(a.lastActiveAt));
}

export function applyEvent(list: readonly SessionItem[], event: SessionEvent): SessionItem[] {
  const rest = list.filter((s) => s.id !== event.session.id);
  if (event.type === 'REVOKED') return rest;
  // An event about another session never says "current" for this tab: keep this tab's own view.
  const previous = list.find((s) => s.id === event.session.id);
  return sortSessions([...rest, { ...event.session, isCurrent: previous?.isCurrent ?? event.session.isCurrent }]);
}

export function withoutSessions(list: readonly SessionItem[], ids: readonly string[]): SessionItem[] {
  return list.filter((s) => !ids.includes(s.id));
}

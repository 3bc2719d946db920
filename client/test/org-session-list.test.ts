import { describe, expect, it } from 'vitest';
import type { OrgSession } from '../src/org-session-list';
import { applyOrgEvent, sortByActivity } from '../src/org-session-list';

function session(id: string, lastActiveAt: string, userId = 'u1', online = false): OrgSession {
  return {
    id,
    userAgent: null,
    device: 'desktop',
    ipAddress: '127.0.0.1',
    location: null,
    isCurrent: false,
    online,
    createdAt: lastActiveAt,
    lastActiveAt,
    user: { id: userId, name: `User ${userId}`, email: `${userId}@example.test` },
  };
}

const ids = (list: OrgSession[]) => list.map((s) => s.id);

describe("the organisation's session list", () => {
  const list = sortByActivity([session('a', '2026-12-04T10:00:00Z'), session('b', '2026-12-04T11:00:00Z', 'u2')]);

  it('is ordered by last activity, newest first', () => {
    expect(ids(list)).toEqual(['b', 'a']);
  });

  it('adds a CREATED session in its place and removes a REVOKED one', () => {
    const added = applyOrgEvent(list, { type: 'CREATED', session: session('c', '2026-12-04T12:00:00Z') }, null);
    expect(ids(added)).toEqual(['c', 'b', 'a']);
    expect(ids(applyOrgEvent(added, { type: 'REVOKED', session: session('b', '2026-12-04T11:00:00Z', 'u2') }, null))).toEqual(['c', 'a']);
  });

  it('refreshes a listed session on ONLINE, OFFLINE or UPDATED, and never brings back one it does not list', () => {
    const online = applyOrgEvent(list, { type: 'ONLINE', session: session('a', '2026-12-04T10:00:00Z', 'u1', true) }, null);
    expect(online.find((s) => s.id === 'a')?.online).toBe(true);
    // The socket of a revoked session closes after its REVOKED: its OFFLINE is no comeback.
    expect(ids(applyOrgEvent(list, { type: 'OFFLINE', session: session('gone', '2026-12-04T13:00:00Z') }, null))).toEqual(['b', 'a']);
    expect(ids(applyOrgEvent(list, { type: 'UPDATED', session: session('gone', '2026-12-04T13:00:00Z') }, null))).toEqual(['b', 'a']);
  });

  it('keeps to the member filtered on', () => {
    expect(ids(applyOrgEvent([session('a', '2026-12-04T10:00:00Z')], { type: 'CREATED', session: session('x', '2026-12-04T12:00:00Z', 'u2') }, 'u1'))).toEqual(['a']);
  });
});

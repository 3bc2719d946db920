import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../src/live';
import type { SessionItem } from '../src/session-list';
import { applyEvent, sortSessions } from '../src/session-list';

function session(id: string, lastActiveAt: string, isCurrent = false): SessionItem {
  return {
    id,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
    browser: 'Firefox 127',
    os: 'Linux',
    device: 'desktop',
    ipAddress: '127.0.0.1',
    location: 'Local network',
    role: 'OWNER',
    isCurrent,
    createdAt: lastActiveAt,
    lastActiveAt,
    expiresAt: '2099-01-01T00:00:00.000Z',
    organization: { id: 'o1', name: 'Org' },
  };
}

const event = (type: SessionEvent['type'], s: SessionItem): SessionEvent => ({ type, reason: null, session: s });

describe('the live session list', () => {
  const current = session('me', '2026-01-01T10:00:00.000Z', true);
  const older = session('old', '2026-01-01T09:00:00.000Z');

  it('puts the current session first, then the most recently active', () => {
    const newer = session('new', '2026-01-01T11:00:00.000Z');
    expect(sortSessions([older, newer, current]).map((s) => s.id)).toEqual(['me', 'new', 'old']);
  });

  it('adds a created session in its place', () => {
    const created = session('new', '2026-01-01T12:00:00.000Z');
    expect(applyEvent([current, older], event('CREATED', created)).map((s) => s.id)).toEqual(['me', 'new', 'old']);
  });

  it('drops a revoked session', () => {
    expect(applyEvent([current, older], event('REVOKED', older)).map((s) => s.id)).toEqual(['me']);
  });

  it('replaces an updated session and keeps which one is this device', () => {
    const updated = applyEvent([current, older], event('UPDATED', { ...current, role: 'MEMBER', isCurrent: false }));
    expect(updated[0]).toMatchObject({ id: 'me', role: 'MEMBER', isCurrent: true });
    expect(updated).toHaveLength(2);
  });

  it('does not duplicate a session it already shows', () => {
    expect(applyEvent([current, older], event('CREATED', older))).toHaveLength(2);
  });
});

// A client that stops reading while events pile up: the server queues at most
// WS_MAX_BUFFERED_BYTES for it, then closes it (4008) and cuts it; a client that reads on, of
// the same user, hears every event and stays open.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { signInMany } from './helpers/faults.js';
import { inviteAndAccept, ok, signIn, signUp } from './helpers/graphql.js';
import { serverForFile } from './helpers/per-file.js';
import { openLive, untilStreams } from './helpers/ws.js';

const BOUND = 64 * 1024;
/** Big events (every field, many times over), so that the kernel's socket buffers fill quickly. */
graphql(`fragment EverySessionField on Session { id ipAddress userAgent browser os device createdAt lastActiveAt expiresAt organization { id name slug } }`);
const BIG_EVENTS = graphql(`
  subscription BigSessionEvents {
    sessionEvents {
      type
      reason
      s0: session { ...EverySessionField }
      s1: session { ...EverySessionField }
      s2: session { ...EverySessionField }
      s3: session { ...EverySessionField }
      s4: session { ...EverySessionField }
      s5: session { ...EverySessionField }
      s6: session { ...EverySessionField }
      s7: session { ...EverySessionField }
      s8: session { ...EverySessionField }
      s9: session { ...EverySessionField }
      s10: session { ...EverySessionField }
      s11: session { ...EverySessionField }
    }
  }
`);
const logs: string[] = [];
const logTo = new Writable({ write: (chunk: Buffer, _encoding, done) => (logs.push(String(chunk)), done()) });
const file = serverForFile(() => ({ live: { sweepMs: 10_000, degradedSweepMs: 2000, maxBufferedBytes: BOUND, drainMs: 0, worker: false, workerPartRows: 500 }, logLevel: 'info' }), logTo);

describe('a socket that stops reading', () => {
  it('is closed once more than the bound is queued for it; a reading socket hears everything', async () => {
    const { server } = file;
    const owner = await signUp(server);
    const member = await signUp(server);
    await inviteAndAccept(server, owner, owner.organizationId, member, 'MEMBER');
    // Each role change is one event per session of the member in the organisation.
    const sessions = await signInMany(server, member, 30, owner.organizationId);
    const [slowSession, readerSession] = sessions;
    if (!slowSession || !readerSession) throw new Error('sessions missing');
    const slow = await openLive(server.wsUrl, { token: slowSession.token });
    const reader = await openLive(server.wsUrl, { token: readerSession.token });
    slow.subscribe('1', BIG_EVENTS);
    reader.subscribe();
    await untilStreams(() => server.app.registry.stats(), 2).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(slow.frames)}`);
    });
    // The slow client's process reads nothing more from the network.
    const raw = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    const toggle = graphql(`mutation UpdateMemberRole($input: UpdateMemberRoleInput!) { updateMemberRole(input: $input) { id } }`);
    let changes = 0;
    while (server.app.sockets.clients() === 2 && changes < 3000) {
      const role = changes % 2 === 0 ? 'ADMIN' : 'MEMBER';
      await ok(server, toggle, { input: { organizationId: owner.organizationId, userId: member.userId, role } }, owner.auth);
      changes++;
    }
    expect(server.app.sockets.clients()).toBe(1);
    // Cut for its queue, not by the heartbeat (a paused client answers no ping either).
    const cut = logs.find((l) => l.includes('websocket too slow'));
    expect(cut).toBeDefined();
    // What it held when it was cut: the bound plus at most the frame that crossed it.
    const queued = Number((JSON.parse(cut ?? '{}') as { queued?: number }).queued);
    expect(queued).toBeGreaterThan(BOUND);
    expect(queued).toBeLessThan(BOUND + 64 * 1024);
    raw.resume();
    const closed = await slow.closed;
    expect([4008, 1006]).toContain(closed.code);
    // The reader heard every change, in order, and is still open.
    const expected = changes * sessions.length;
    for (let i = 0; i < 100 && reader.events.length < expected; i++) await new Promise((r) => setTimeout(r, 50));
    expect(reader.events.length).toBe(expected);
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
    console.log(`SLOW-READER: cut after ${changes} role changes (${changes * sessions.length} events) holding ${queued} bytes, bound ${BOUND}`);
    // The member's next sign-in still works, and a new socket of the slow session is accepted.
    await signIn(server, member, owner.organizationId);
    const again = await openLive(server.wsUrl, { token: slowSession.token });
    expect(again.frames.some((f) => f.type === 'connection_ack')).toBe(true);
    again.close();
    reader.close();
  }, 120_000);
});

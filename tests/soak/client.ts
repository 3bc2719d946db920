// One virtual client of the soak. Each has its own pre-created user and loops: sign in, list the
// sessions, revoke one older session (sometimes while a socket of that session is open, which must
// then be kicked with 4403), now and then revokeOtherSessions, present a revoked token (must be
// refused), open a subscription socket and drop it. It keeps a model of its user's sessions, so
// every answer can be checked exactly: the session list equals the model's live set, revokedCount
// equals the model's count.
import { graphql } from '../gql/index.js';
import type { TestUser } from '../helpers/graphql.js';
import { WHO_AM_I } from '../helpers/graphql.js';
import type { TestServer } from '../helpers/server.js';
import type { Recorder } from './recorder.js';
import { answered, refused } from './recorder.js';
import { closeCode, openSocket, subscribe } from './sockets.js';

const SIGN_IN = graphql(`mutation SignInSession($input: SignInInput!) { signIn(input: $input) { token session { id } } }`);
const SESSIONS = graphql(`query SoakSessions { sessions { id isCurrent } }`);
const REVOKE = graphql(`mutation SoakRevoke($id: ID!) { revokeSession(id: $id) { id revokedAt } }`);
const REVOKE_OTHERS = graphql(`mutation RevokeOtherSessions { revokeOtherSessions { revokedCount } }`);

/** What one client knows of its user's sessions: token and whether it revoked it. */
interface TrackedSession {
  id: string;
  token: string;
  live: boolean;
}

function pick<T>(items: T[]): T | undefined {
  return items[Math.floor(Math.random() * items.length)];
}

export class VirtualClient {
  private readonly sessions = new Map<string, TrackedSession>();
  private current: TrackedSession | null = null;

  constructor(
    private readonly server: TestServer,
    private readonly user: TestUser,
    private readonly rec: Recorder,
  ) {
    // The sign-up session is the first one the model knows.
    this.sessions.set(user.sessionId, { id: user.sessionId, token: user.token, live: true });
  }

  get tracked(): TrackedSession[] {
    return [...this.sessions.values()];
  }

  get userId(): string {
    return this.user.userId;
  }

  private liveOthers(): TrackedSession[] {
    return this.tracked.filter((s) => s.live && s.id !== this.current?.id);
  }

  async iterate(): Promise<void> {
    if (!(await this.signIn())) return;
    await this.checkSessionList();
    const victim = pick(this.liveOthers());
    // In a third of the rounds the session about to be revoked has a socket open: it must be kicked.
    if (victim) await (Math.random() < 1 / 3 ? this.revokeWithSocketOpen(victim) : this.revoke(victim));
    if (Math.random() < 1 / 5) await this.revokeOthers();
    await this.presentRevokedToken();
    await this.openAndDropSocket();
    this.rec.iterations++;
  }

  private async signIn(): Promise<boolean> {
    const res = await this.rec.request(this.server, 'signIn', SIGN_IN, { input: { email: this.user.email, password: this.user.password } }, '');
    const data = answered(this.rec, 'signIn', res);
    if (!data) return false;
    this.current = { id: data.signIn.session.id, token: data.signIn.token, live: true };
    this.sessions.set(this.current.id, this.current);
    return true;
  }

  /** The server's list of live sessions is exactly the model's. */
  private async checkSessionList(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const res = await this.rec.request(this.server, 'sessions', SESSIONS, undefined, current.token);
    const data = answered(this.rec, 'sessions', res);
    if (!data) return;
    const listed = data.sessions.map((s) => s.id).sort();
    const expected = this.tracked.filter((s) => s.live).map((s) => s.id).sort();
    if (JSON.stringify(listed) !== JSON.stringify(expected)) this.rec.fail(`sessions: listed ${listed.length} (${listed.join(',')}), the model has ${expected.length} (${expected.join(',')})`);
    const currents = data.sessions.filter((s) => s.isCurrent).map((s) => s.id);
    if (currents.length !== 1 || currents[0] !== current.id) this.rec.fail(`sessions: isCurrent on ${currents.join(',')}, expected ${current.id}`);
  }

  private async revoke(victim: TrackedSession): Promise<void> {
    const current = this.current;
    if (!current) return;
    const res = await this.rec.request(this.server, 'revokeSession', REVOKE, { id: victim.id }, current.token);
    if (answered(this.rec, 'revokeSession', res)) victim.live = false;
  }

  /** Revokes a session whose socket is open: the socket must be closed with 4403. */
  private async revokeWithSocketOpen(victim: TrackedSession): Promise<void> {
    const socket = await openSocket(this.server, victim.token, this.rec);
    this.rec.socketsOpened++;
    if (!socket.acked) {
      this.rec.fail(`kick: the socket of a live session was not acknowledged (close ${await closeCode(socket, 0)})`);
      socket.ws.terminate();
      return this.revoke(victim);
    }
    subscribe(socket);
    await this.revoke(victim);
    const code = await closeCode(socket);
    if (code === 4403) this.rec.kicks++;
    else this.rec.fail(`kick: the socket of a revoked session closed with ${code}, expected 4403`);
  }

  private async revokeOthers(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const others = this.liveOthers();
    const res = await this.rec.request(this.server, 'revokeOtherSessions', REVOKE_OTHERS, undefined, current.token);
    const data = answered(this.rec, 'revokeOtherSessions', res);
    if (!data) return;
    if (data.revokeOtherSessions.revokedCount !== others.length) this.rec.fail(`revokeOtherSessions: revoked ${data.revokeOtherSessions.revokedCount}, the model had ${others.length} others`);
    for (const s of others) s.live = false;
  }

  /** The expected coded refusals: a revoked token is 401, revoking it again is NOT_FOUND. */
  private async presentRevokedToken(): Promise<void> {
    const current = this.current;
    const revoked = pick(this.tracked.filter((s) => !s.live));
    if (!current || !revoked) return;
    refused(this.rec, 'a revoked token', await this.rec.request(this.server, 'refusedToken', WHO_AM_I, undefined, revoked.token), 401, 'UNAUTHENTICATED');
    if (Math.random() < 1 / 3) refused(this.rec, 'revoking a revoked session', await this.rec.request(this.server, 'reRevoke', REVOKE, { id: revoked.id }, current.token), 404, 'NOT_FOUND');
  }

  /** A subscription socket for the current session, dropped: closed cleanly or cut off. */
  private async openAndDropSocket(): Promise<void> {
    const current = this.current;
    if (!current) return;
    const socket = await openSocket(this.server, current.token, this.rec);
    this.rec.socketsOpened++;
    if (!socket.acked) {
      this.rec.fail(`socket: a live session's socket was not acknowledged (close ${await closeCode(socket, 0)})`);
      socket.ws.terminate();
      return;
    }
    subscribe(socket);
    if (Math.random() < 1 / 2) socket.ws.close(1000);
    else socket.ws.terminate();
    await closeCode(socket);
  }
}

// One socket's registration for its session's events: its subscriptions' streams, and the kick
// that sends each stream the session's own REVOKED event and then closes the socket with 4403.
import type { Role } from '../generated/prisma/enums.js';
import type { SessionRow } from '../sessions/model.js';
import type { SessionChangeType } from '../sessions/change.js';
import { isRevokeReason } from '../sessions/revoke-reasons.js';
import { CLOSE_REVOKED } from './close-codes.js';
import { EventStream } from './stream.js';
import type { Transport } from './transport.js';

/** ONLINE / OFFLINE: presence transitions, told to organisation subscribers only (./org-feed.ts). */
export type SessionEventType = SessionChangeType | 'ONLINE' | 'OFFLINE';

export interface SessionEvent {
  type: SessionEventType;
  session: SessionRow;
  reason: string | null;
}

export interface LiveConnection {
  readonly sessionId: string;
  readonly userId: string;
  /** A stream for one `sessionEvents` subscription of this socket. */
  openStream(): EventStream<SessionEvent>;
}

export class Connection implements LiveConnection {
  /** Usually one: an array is a fraction of a Set's size, and a socket holds it for hours. */
  readonly streams: EventStream<SessionEvent>[] = [];
  kicked = false;

  constructor(
    readonly sessionId: string,
    readonly userId: string,
    /** The role its session had when last seen: a settle that finds another one tells the socket. */
    public role: Role | undefined,
    /** The socket, through the transport's declared interface: to close it, and to gather its frames into one write. */
    private readonly transport: Transport,
    /** Its session's organisation: where its presence is told (./presence.ts). */
    readonly organizationId = '',
  ) {}

  openStream(): EventStream<SessionEvent> {
    const stream: EventStream<SessionEvent> = new EventStream(() => {
      const at = this.streams.indexOf(stream);
      if (at >= 0) this.streams.splice(at, 1);
    });
    if (this.kicked) stream.return();
    else this.streams.push(stream);
    return stream;
  }

  push(event: SessionEvent): void {
    if (this.kicked) return;
    if (event.session.id === this.sessionId && event.session.role) this.role = event.session.role;
    // A copy: a stream whose listener fails ends, and leaves the array, during its push.
    for (const stream of [...this.streams]) stream.push(event);
  }

  /** Closes at once, without an event: its session is gone from the database. */
  end(): void {
    if (this.kicked) return;
    this.kicked = true;
    this.transport.close(CLOSE_REVOKED, 'Session ended');
  }

  /**
   * Sends the session's own REVOKED event on every subscription, then closes the socket. When the
   * events execute at once (the rows carry every field's data), event, `complete` and close leave
   * in one write (the one-write rule, docs/ARCHITECTURE.md); else the close waits for the events,
   * up to graceMs. Undefined when it is done.
   */
  kick(event: SessionEvent, graceMs: number): Promise<void> | undefined {
    if (this.kicked) return;
    this.kicked = true;
    // The close reason is the RevokeReason itself (the web app reads it as one of the enum's values).
    const reason = isRevokeReason(event.reason) ? event.reason : 'Session revoked';
    const pending: Promise<void>[] = [];
    try {
      this.transport.gathered(() => {
        // A copy: a stream that finishes at once leaves the array.
        for (const stream of [...this.streams]) {
          const delivered = stream.finish(event);
          if (delivered) pending.push(delivered);
        }
        if (pending.length === 0) this.transport.close(CLOSE_REVOKED, reason);
      });
    } catch (err) {
      // A send that failed must not leave a revoked socket open, nor stop the other kicks.
      this.transport.close(CLOSE_REVOKED, reason);
      return Promise.reject(err as Error);
    }
    if (pending.length > 0) return this.closeAfter(pending, graceMs, reason);
  }

  private async closeAfter(pending: Promise<void>[], graceMs: number, reason: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.transport.close(CLOSE_REVOKED, reason);
  }
}

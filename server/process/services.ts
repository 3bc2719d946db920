// What the request handlers need, built once per app (and per test server).
import type { Logger } from 'pino';
import type { MfaSecrets } from '../auth/mfa-secrets.js';
import type { PasswordResets } from '../auth/password-resets.js';
import type { BackgroundMail } from '../mail/background-mail.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import type { SessionStore } from '../sessions/store.js';
import type { CaepKeys } from '../webhooks/caep-keys.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database, PrismaClient } from '../db/client.js';
import type { EventBus } from '../live/bus.js';
import type { OrgFeed } from '../live/org-feed.js';
import type { Presence } from '../live/presence.js';

export interface Services {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
  /** The key of TOTP secrets at rest (auth/mfa-secrets.ts). */
  mfaSecrets: MfaSecrets;
  /** Forgotten-password links by mail (auth/password-resets.ts). */
  passwordResets: PasswordResets;
  /** Mail sent after the answer, such as invitations (mail/background-mail.ts). */
  mail: BackgroundMail;
  /** Which sessions have a socket open, on any instance (live/presence.ts). */
  presence: Presence;
  /** organizationSessionEvents' subscribers on this instance (live/org-feed.ts). */
  orgFeed: OrgFeed;
  /** The keys that sign CAEP Security Event Tokens, published at /.well-known/jwks.json (webhooks/caep-keys.ts). */
  caepKeys: CaepKeys;
}

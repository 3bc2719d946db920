// What the request handlers need, built once per app (and per test server).
import type { Logger } from 'pino';
import type { RateLimiter } from './auth/rate-limit.js';
import type { SessionStore } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database, PrismaClient } from './db/client.js';
import type { EventBus } from './live/bus.js';

export interface Services {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
}

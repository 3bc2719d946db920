// Builds the whole gateway on one port: HTTP (Yoga, /health) and, on the same port, WebSockets
// (graphql-transport-ws).
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createYoga } from 'graphql-yoga';
import type { Logger } from 'pino';
import { openLocationDatabases } from '../sessions/location.js';
import { KEY_MISSING_MESSAGE, MfaSecrets } from '../auth/mfa-secrets.js';
import { PasswordResets } from '../auth/password-resets.js';
import { RateLimiter } from '../auth/rate-limit.js';
import { SessionStore } from '../sessions/store.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import type { Context } from '../graphql/context.js';
import { buildContext } from '../graphql/context.js';
import { openDatabase } from '../db/client.js';
import type { ServerContext } from '../graphql/context.js';
import { GRAPHIQL_OPTIONS, renderGraphiQL, useGraphiQLHeaders } from '../http/graphiql.js';
import { createRequestHandler } from '../http/server.js';
import { requestState } from '../http/request.js';
import { useInputGuard } from '../graphql/input-guard.js';
import type { EventBus } from '../live/bus.js';
import { createEventBus } from '../live/bus.js';
import { Reconciler } from '../live/reconcile.js';
import { LiveRegistry } from '../live/registry.js';
import { OrgFeed } from '../live/org-feed.js';
import type { PresenceSink } from '../live/presence.js';
import { Presence } from '../live/presence.js';
import { RedisPresence } from '../live/presence-redis.js';
import { LiveWorkerHost } from '../live/worker-host.js';
import type { LiveStats } from '../live/worker-messages.js';
import type { LiveSockets } from '../live/ws.js';
import { createWebSockets } from '../live/ws.js';
import { createLogger } from './logging.js';
import { BackgroundMail } from '../mail/background-mail.js';
import { createMailer, MAIL_DISABLED_MESSAGE } from '../mail/mailer.js';
import { createErrorMasker } from '../graphql/mask-errors.js';
import { corsPolicy, useVaryOrigin } from '../http/origins.js';
import { queryLimitsPlugin } from '../graphql/query-limits.js';
import { pruneRetained } from '../db/retention.js';
import { CaepKeys } from '../webhooks/caep-keys.js';
import { WebhookWorker } from '../webhooks/worker.js';
import { schema } from '../schema/index.js';
import type { Services } from './services.js';
import { useErrorCodes, useErrorPhases } from '../graphql/error-phases.js';
import { useCompiledExecution, useRequestState } from '../graphql/yoga-plugins.js';

/** Pending connections the kernel holds for us (Node's default is 511). */
const LISTEN_BACKLOG = 4096;

export interface AppOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** `live-worker`: the child that holds the sockets (live-worker.ts): no port, no housekeeping. */
  role?: 'gateway' | 'live-worker';
  /** The live worker's bus (IPC); the gateway's own comes from config.redisUrl. */
  bus?: EventBus;
  /** The environment the configuration was read from: the live worker reads its own from it. */
  env?: NodeJS.ProcessEnv;
  /** The live worker's: its presence transitions go to the gateway (IPC), which writes them for it. */
  presenceSink?: PresenceSink;
}

export interface App {
  services: Services;
  registry: LiveRegistry;
  /** This process's sockets, or with LIVE_WORKER the worker that holds them. */
  sockets: LiveSockets;
  reconciler: Reconciler;
  /** The registry and socket count of whichever process holds the sockets. */
  liveStats(): Promise<LiveStats>;
  /** Listens on config.host:config.port (0 = any free port) and resolves to the base URL. */
  start(): Promise<string>;
  /** Stops accepting, lets requests in flight finish, closes sockets and the database. */
  stop(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config } = options;
  openLocationDatabases();
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? createLogger(config.logLevel);
  // Before anything is opened: a malformed MFA_ENCRYPTION_KEY fails the start.
  const mfaSecrets = new MfaSecrets(config);
  // A missing one is not fatal: everything else works, and enrolment says the same to whoever tries it.
  if (!mfaSecrets.available) log.warn(KEY_MISSING_MESSAGE);
  const mailer = createMailer(config, log);
  // A warning where it matters (a deployment on PostgreSQL); a note on the embedded default, whose first start is a try-out.
  if (!mailer.enabled) log[config.databaseUrl ? 'warn' : 'info'](MAIL_DISABLED_MESSAGE);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const role = options.role ?? 'gateway';
  const bus = options.bus ?? (await createEventBus(config.redisUrl, log, () => clock.now()));
  const sessions = new SessionStore(db.prisma, config, clock, bus, log);
  const rateLimiter = new RateLimiter(db.prisma, config.rateLimits);
  const passwordResets = new PasswordResets(db.prisma, config, clock, mailer, log);
  const caepKeys = new CaepKeys(db.prisma, mfaSecrets, config.webhooks.caepSigningKey, config.webhooks.caepIssuer ?? (config.publicUrl ? new URL(config.publicUrl).origin : undefined));
  // Until listening (port 0 picks one), the configured port: a SET signed before then names it.
  caepKeys.fallbackIssuer = `http://localhost:${config.port}`;
  const mail = new BackgroundMail(mailer, log, config.publicUrl);
  // The process that holds no sockets of its own writes presence (the gateway, for its worker too).
  const presence = new Presence({
    store: config.redisUrl ? new RedisPresence(config.redisUrl, config.presenceTtlMs, log) : null,
    writes: !options.presenceSink,
    sink: options.presenceSink ?? ((online, offline) => bus.publishNotice({ kind: 'presence', online, offline })),
    ttlMs: config.presenceTtlMs,
    log,
  });
  const orgFeed = new OrgFeed(db.prisma, bus, log, config.live.sweepMs);
  const services: Services = { config, db, prisma: db.prisma, clock, log, bus, sessions, rateLimiter, mfaSecrets, passwordResets, mail, presence, orgFeed, caepKeys };

  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // Never a stack trace or an internal message to the client, whatever NODE_ENV says.
    maskedErrors: { isDev: false, maskError: createErrorMasker(log) },
    // Bundled (offline), subscriptions over the socket: graphiql.ts.
    graphiql: config.production ? false : GRAPHIQL_OPTIONS,
    renderGraphiQL,
    // Credentialed CORS for ALLOWED_ORIGINS only; Yoga's default echoes any origin with credentials.
    cors: corsPolicy(config),
    landingPage: false,
    // http.ts refuses a POST without a Content-Length or above MAX_BODY_BYTES before Yoga reads
    // it; Yoga's own limit pipes every body through a byte-counting stream (an AbortController
    // and a DOMException per request).
    maxRequestBodySize: false,
    logging: {
      debug: (...args) => log.debug({ yoga: args.map(String) }),
      info: (...args) => log.info({ yoga: args.map(String) }),
      warn: (...args) => log.warn({ yoga: args.map(String) }),
      error: (...args) => log.error({ yoga: args.map((a) => (a instanceof Error ? a.message : String(a))) }),
    },
    context: ({ req, socket }) => {
      const state = requestState(req);
      // A socket's operations set no cookies: nothing would send them, and the socket lives for hours.
      return buildContext({ services, req, socket, log: state.log, cookies: socket ? [] : state.cookies });
    },
    plugins: [
      useVaryOrigin(config),
      useGraphiQLHeaders(),
      useCSRFPrevention({ requestHeaders: ['x-graphql-csrf', 'graphql-client-name', 'apollo-require-preflight'] }),
      queryLimitsPlugin(config),
      useInputGuard(),
      useErrorPhases(),
      useErrorCodes(),
      useRequestState(),
      useCompiledExecution(),
    ],
  });

  // Retention (retention.ts), and expired rate-limit counters, now and then (instead of the
  // library's own timers, which stop() could not clear).
  const pruneTimer = setInterval(() => {
    if (role === 'gateway') pruneRetained(services).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'retention prune failed'));
  }, 10 * 60_000);
  pruneTimer.unref();
  const webhooks = role === 'gateway' ? new WebhookWorker(services, config.webhooks) : null;

  const server = createServer(createRequestHandler(services, yoga));
  server.keepAliveTimeout = 5000;
  const registry = new LiveRegistry(db.prisma, bus, log);
  registry.onPresence = (online, offline) => presence.changed(online, offline);
  const reconciler = new Reconciler(registry, db.prisma, log, bus, config.live);
  const worker = role === 'gateway' && config.live.worker ? new LiveWorkerHost(bus, presence, log, options.env ?? process.env, config.live) : null;
  const sockets = worker ?? createWebSockets(yoga, services, registry);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => sockets.upgrade(request, socket, head));

  return {
    services,
    registry,
    sockets,
    reconciler,
    liveStats: async () => worker?.stats() ?? { ...registry.stats(), clients: sockets.clients(), pid: process.pid },
    async start() {
      await worker?.start();
      await webhooks?.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        // A deep accept queue: a reconnect storm's connections wait in it instead of being dropped (capped by net.core.somaxconn).
        server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      passwordResets.fallbackBase = `http://localhost:${port}`;
      mail.fallbackBase = passwordResets.fallbackBase;
      caepKeys.fallbackIssuer = `http://localhost:${port}`;
      log.info({ port, database: db.kind, pubsub: config.redisUrl ? 'redis' : 'in-process', sockets: worker ? 'live worker' : 'this process' }, 'session-gateway listening');
      return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      clearInterval(pruneTimer);
      await webhooks?.stop();
      await sockets.close(config.live.drainMs);
      reconciler.close();
      registry.close();
      orgFeed.close();
      await presence.close();
      sessions.close();
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(force);
      await bus.close();
      // Reset mails in flight still need the database (their token rows) and the relay.
      await passwordResets.drain();
      await mail.drain();
      mailer.close();
      await db.close();
    },
  };
}

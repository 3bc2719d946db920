// The live worker (LIVE_WORKER, ../live/worker-host.ts): a whole gateway without a listening port.
// It takes the upgrades the gateway process hands over, holds the WebSockets, and hears every
// session change over IPC. It ends when the gateway tells it to (drained like the gateway's own
// sockets) or when the gateway is gone (its IPC channel closed): never an orphan holding sockets.
import { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WorkerBus } from '../live/worker-bus.js';
import type { FromWorker, ToWorker, UpgradeMessage } from '../live/worker-messages.js';
import { PartsInbox } from '../live/worker-outbox.js';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logging.js';

/** How often the socket count is told to the gateway (`LiveSockets.clients()` there). */
const COUNT_EVERY_MS = 1000;

const send = (message: FromWorker): void => {
  if (process.connected) process.send?.(message);
};

/** The request as the gateway parsed it, on the socket that arrived with it. */
function requestOf(message: UpgradeMessage, socket: Socket): IncomingMessage {
  const request = new IncomingMessage(socket);
  request.method = message.method;
  request.url = message.url;
  request.httpVersion = message.httpVersion;
  request.headers = message.headers;
  request.rawHeaders = message.rawHeaders;
  return request;
}

const env = process.env;
const config = loadConfig({ ...env, LIVE_WORKER: '' });
const log = createLogger(config.logLevel).child({ process: 'live-worker' });
const bus = new WorkerBus(Boolean(config.redisUrl), send);
// Its presence is written by the gateway: told over IPC, batched as the gateway batches its own.
const app = await createApp({ config, logger: log, bus, role: 'live-worker', presenceSink: (online, offline) => send({ type: 'presence', online, offline }) });

const parts = new PartsInbox();
let stopping = false;
/** `now`: the sockets are closed at once instead of over the drain window. */
async function stop(reason: string, now = false): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ reason }, 'live worker stopping');
  clearInterval(counter);
  if (now) await app.sockets.close(0);
  await app.stop().catch((err: unknown) => log.error({ err: (err as Error).message }, 'live worker stop failed'));
  process.exit(0);
}

process.on('message', async (message: ToWorker, handle?: unknown) => {
  switch (message.type) {
    case 'upgrade': {
      const socket = handle as Socket | undefined;
      if (!socket) return;
      if (stopping) return void socket.destroy();
      app.sockets.upgrade(requestOf(message, socket), socket, Buffer.from(message.head));
      return;
    }
    case 'rows':
      return parts.rows(message.rows);
    case 'change':
      return bus.heard(parts.change(message));
    case 'health':
      return bus.health(message.health);
    case 'notice':
      return bus.heardNotice(message.notice);
    case 'stats':
      return send({ type: 'stats', id: message.id, stats: await app.liveStats() });
    case 'stop':
      return void stop('asked by the gateway');
  }
});
// The gateway is gone (killed): nothing would route to these sockets any more.
process.on('disconnect', () => void stop('the gateway process is gone', true));
// A signal to the whole process group (Ctrl-C, a container stop) reaches the gateway too, which
// drains this worker: on its own the worker would close its sockets before the gateway stops.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => log.info({ signal }, 'live worker: left to the gateway'));

const counter = setInterval(() => send({ type: 'clients', count: app.sockets.clients() }), COUNT_EVERY_MS);
counter.unref();
send({ type: 'ready' });

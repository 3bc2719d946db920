// Entry point: read the configuration, start the gateway, stop it cleanly on SIGTERM/SIGINT.
import { createApp } from './process/app.js';
import { loadConfig } from './process/config.js';
import { createLogger } from './process/logging.js';

const config = loadConfig();
const log = createLogger(config.logLevel);
const app = await createApp({ config, logger: log });
const url = await app.start();
log.info({ url }, 'ready');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

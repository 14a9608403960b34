import { loadConfig } from './config';
import { createLogger } from './logger';
import { pushExtension } from './push/push-module';
import { startService } from './service';

/** `npm run server`: read the environment, start, and shut down gracefully on SIGTERM/SIGINT. */
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

const service = await startService(config, logger, { extensions: [pushExtension()] }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // A hard deadline so a stuck connection can never keep the process alive (the drain comes first).
  setTimeout(() => {
    logger.error('shutdown timed out');
    process.exit(1);
  }, config.DRAIN_MS + 10_000).unref();
  service
    .shutdown()
    .then(() => {
      logger.info('stopped');
      process.exit(0);
    })
    .catch((error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

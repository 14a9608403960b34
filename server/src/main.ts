import { loadConfig } from './config';
import { createLogger } from './logger';
import { pushExtension } from './push/push-module';
import { startService } from './service';
import { StartupError } from './startup-error';

/** `npm run server`: read the environment, start, and shut down gracefully on SIGTERM/SIGINT. */

/** A start-up problem the operator must fix is one line on stderr (no stack) and exit code 1. */
function refuseToStart(error: unknown): never {
  if (error instanceof StartupError) {
    process.stderr.write(`softphone-server: ${error.message}\n`);
  } else {
    process.stderr.write(`softphone-server: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  refuseToStart(error);
}
const logger = createLogger(config.LOG_LEVEL);

const service = await startService(config, logger, { extensions: [pushExtension()] }).catch(refuseToStart);

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

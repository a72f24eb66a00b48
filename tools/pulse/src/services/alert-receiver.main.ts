import { ConfigError, env, loadConfig } from '@social-pulse/config';
import { createLogger } from '@social-pulse/observability';
import { ALERT_RECEIVER_DEFAULT_PORT, createAlertReceiver } from './alert-receiver';

const logger = createLogger('alert-receiver');

/** The alert receiver's settings: `pulse up` sets them (alertReceiverService), docker-compose.yml too. */
const loadAlertReceiverConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(
    {
      ALERT_RECEIVER_HOST: env.text('127.0.0.1'),
      ALERT_RECEIVER_PORT: env.port(ALERT_RECEIVER_DEFAULT_PORT),
      // Where alerts-<receiver>.jsonl are written: the platform's log directory under `pulse up`.
      ALERT_RECEIVER_DIR: env.text('.pulse/logs'),
    },
    source,
  );

/** Alertmanager's webhook receiver: records each notification until SIGTERM. */
async function run(): Promise<void> {
  const config = loadAlertReceiverConfig();
  const server = createAlertReceiver({ dir: config.ALERT_RECEIVER_DIR, logger });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(config.ALERT_RECEIVER_PORT, config.ALERT_RECEIVER_HOST, resolvePromise);
  });
  logger.info(
    { host: config.ALERT_RECEIVER_HOST, port: config.ALERT_RECEIVER_PORT, dir: config.ALERT_RECEIVER_DIR },
    'alert receiver listening',
  );
  await new Promise<void>((resolvePromise) => {
    const stop = () => server.close(() => resolvePromise());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

run().then(
  () => process.exit(0),
  (error) => {
    logger.fatal(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);

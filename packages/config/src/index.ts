export { ConfigError, loadConfig } from './load-config';
export * as env from './env-types';

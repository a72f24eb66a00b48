export { ConfigError, loadConfig } from './load-config';
export { maskCredentials } from './mask';
export type { ProductionRule } from './variable-meta';
export * as env from './env-types';

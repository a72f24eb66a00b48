export { createLogger, type Logger } from './logger';
export { metricsRegistry, startDefaultMetrics } from './metrics';
export { TokenBuckets } from './token-buckets';

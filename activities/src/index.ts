export * from './flink-deploy.activities';
export * from './platform-health.activities';
export { FlinkRest, type JobOverview } from './flink-rest';
export * from './answer-refresh.activities';
export * from './platform-schedules';
export * from './clickhouse-ttl.activities';
export * from './view-backfill.activities';
export * from './erase-user.activities';

export * from './flink-deploy.activities';
export * from './platform-health.activities';
export { FlinkRest, type JobOverview } from './flink-rest';

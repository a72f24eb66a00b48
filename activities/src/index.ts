export * from './flink-deploy.activities';
export * from './platform-health.activities';

export * from './flink-deploy.workflow';
export * from './platform-health.workflow';

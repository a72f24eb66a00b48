export * from './flink-deploy.workflow';
export * from './platform-health.workflow';
export * from './answer-refresh.workflow';
export * from './backfill-view.workflow';
export * from './ttl-maintenance.workflow';
export * from './erase-user.workflow';

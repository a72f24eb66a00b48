export * from './platform-health.workflow';

export * from './platform-health.activities';

// Entry for '@social-pulse/observability/nest', kept apart so non-HTTP services skip Nest.
export * from './src/nest';

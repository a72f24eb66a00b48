// Entry for '@social-pulse/testing/temporal', kept apart so tests without workflows skip loading
// the Temporal worker and its native bridge.
export * from './src/temporal';

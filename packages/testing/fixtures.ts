// Entry for '@social-pulse/testing/fixtures': the event factories alone, for tests that need no
// platform (no settings read, no Kafka or Temporal loaded).
export * from './src/fixtures';

/** Names that several parts of the platform must agree on. */

export const TOPICS = {
  userEvents: 'user-events',
  contentEvents: 'content-events',
  adEvents: 'ad-events',
  deadLetter: 'events-dlq',
} as const;

/** Partition counts from the design: user and content events carry the most volume. */
export const TOPIC_PARTITIONS: Record<string, number> = {
  [TOPICS.userEvents]: 32,
  [TOPICS.contentEvents]: 32,
  [TOPICS.adEvents]: 16,
  [TOPICS.deadLetter]: 4,
};

export const TASK_QUEUES = {
  operations: 'pulse-operations',
} as const;

/** Default local ports; every one can be changed through the environment. */
export const DEFAULT_PORTS = {
  collector: 8080,
  api: 3000,
  worker: 9464,
  clickhouseHttp: 8123,
  kafka: 9092,
  kafkaController: 9093,
  flinkRest: 8081,
  temporal: 7233,
  temporalUi: 8233,
  redis: 6379,
} as const;

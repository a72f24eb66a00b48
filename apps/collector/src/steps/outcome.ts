/** What became of one event: accepted towards Kafka, or rejected with a reason and sent to the dead letters. */
export type Outcome<T> = { kind: 'ok'; value: T } | { kind: 'dlq'; reason: string; raw: unknown };

export const ok = <T>(value: T): Outcome<T> => ({ kind: 'ok', value });
export const dlq = <T>(raw: unknown, reason: string): Outcome<T> => ({ kind: 'dlq', reason, raw });

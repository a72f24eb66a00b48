import { describe, expect, it } from 'vitest';
import { ageNow, panelStatus, type FetchFailure } from './freshness';
import type { AnswerEnvelope } from './types';

const RECEIVED_AT = 1_000_000;

const envelope = (fields: Partial<AnswerEnvelope<unknown>> = {}): AnswerEnvelope<unknown> => ({
  data: {},
  data_time: '2026-11-27T12:00:00.000Z',
  computed_at: '2026-11-27T12:00:00.500Z',
  age_ms: 2_000,
  source: 'redis',
  stale: false,
  stale_after_ms: 13_000,
  ...fields,
});

const failure = (fields: Partial<FetchFailure> = {}): FetchFailure => ({
  kind: 'unavailable',
  status: 503,
  detail: 'the answer cannot be served now',
  retryAfterMs: null,
  dependencies: ['clickhouse'],
  ...fields,
});

describe(panelStatus.name, () => {
  it('should say loading before anything arrived', () => {
    expect(panelStatus({}, RECEIVED_AT)).toMatchObject({ state: 'loading', badge: 'Loading', note: null });
  });

  it('should call a young answer live, with its age growing by the clock since it arrived', () => {
    const status = panelStatus({ answer: { envelope: envelope(), receivedAt: RECEIVED_AT } }, RECEIVED_AT + 3_000);

    expect(status).toEqual({ state: 'fresh', badge: 'Live', age: 'Updated 5 s ago', note: null });
  });

  it('should call an answer stale once it grew older than its stale_after_ms, without a new read', () => {
    const view = { answer: { envelope: envelope(), receivedAt: RECEIVED_AT } };

    expect(panelStatus(view, RECEIVED_AT + 11_000).state).toBe('fresh');
    const status = panelStatus(view, RECEIVED_AT + 12_000);

    expect(status.state).toBe('stale');
    expect(status.badge).toBe('Stale');
    expect(status.note).toContain('14 s old; it is normally under 13 s');
  });

  it('should call the last good copy stale even while it is young, saying a source is not answering', () => {
    const status = panelStatus(
      { answer: { envelope: envelope({ stale: true }), receivedAt: RECEIVED_AT } },
      RECEIVED_AT,
    );

    expect(status).toMatchObject({
      state: 'stale',
      note: 'A data source is not answering: this is the last good copy.',
    });
  });

  it('should say there is no data yet when the answer describes no time', () => {
    const status = panelStatus(
      { answer: { envelope: envelope({ data_time: null, age_ms: null, stale: true }), receivedAt: RECEIVED_AT } },
      RECEIVED_AT,
    );

    expect(status).toMatchObject({ state: 'stale', badge: 'No data yet', age: '' });
  });

  it('should say the source is down on a 503, naming it, and keep the age of what it still shows', () => {
    const status = panelStatus(
      {
        answer: { envelope: envelope(), receivedAt: RECEIVED_AT },
        failure: { failure: failure(), at: RECEIVED_AT + 5_000 },
      },
      RECEIVED_AT + 5_000,
    );

    expect(status.state).toBe('down');
    expect(status.badge).toBe('Source down');
    expect(status.age).toBe('Updated 7 s ago');
    expect(status.note).toBe(
      'ClickHouse is down and there is no recent copy of this data to show. Showing what was received earlier.',
    );
  });

  it('should name both dependencies when both are down', () => {
    const status = panelStatus(
      { failure: { failure: failure({ dependencies: ['redis', 'clickhouse'] }), at: RECEIVED_AT } },
      RECEIVED_AT,
    );

    expect(status.note).toMatch(/^Redis and ClickHouse are down/);
  });

  it('should say the API is unreachable when the request never got an answer', () => {
    const status = panelStatus(
      { failure: { failure: failure({ kind: 'unreachable', status: null, dependencies: [] }), at: RECEIVED_AT } },
      RECEIVED_AT,
    );

    expect(status).toMatchObject({ state: 'down', badge: 'API unreachable' });
  });

  it('should forget a failure once a newer answer arrived', () => {
    const status = panelStatus(
      {
        answer: { envelope: envelope(), receivedAt: RECEIVED_AT + 1 },
        failure: { failure: failure(), at: RECEIVED_AT },
      },
      RECEIVED_AT + 1,
    );

    expect(status.state).toBe('fresh');
  });

  it('should not call a panel down for a rate limit: its data is as good as before', () => {
    const status = panelStatus(
      {
        answer: { envelope: envelope(), receivedAt: RECEIVED_AT },
        failure: { failure: failure({ kind: 'rate-limited', status: 429 }), at: RECEIVED_AT + 1 },
      },
      RECEIVED_AT + 1,
    );

    expect(status.state).toBe('fresh');
  });
});

describe(ageNow.name, () => {
  it('should add the time since arrival to the API’s age, so the browser’s clock offset plays no part', () => {
    expect(ageNow({ envelope: envelope({ age_ms: 500 }), receivedAt: 10_000 }, 12_000)).toBe(2_500);
  });
});

import type { PulseEvent } from '@social-pulse/events';
import { describe, expect, it } from 'vitest';
import { createEnrichEventStep } from './enrich-event.step';

const event = (clientTs: string, sentAt?: string) =>
  ({
    event_id: '0190a000-0000-7000-8000-000000000001',
    event_type: 'content.liked',
    schema_version: 1,
    user_id: 'u-1',
    client_ts: clientTs,
    ...(sentAt && { sent_at: sentAt }),
    properties: { content_id: 'c-1', hashtags: [] },
  }) as unknown as PulseEvent;

const at = (iso: string) => Date.parse(iso);

describe(createEnrichEventStep.name, () => {
  const sut = createEnrichEventStep();

  it('should stamp the receive time and shift the client time by the clock error', () => {
    // The client's clock is 10 s behind: it sent at 12:00:00 what the collector received at 12:00:10.
    const result = sut(event('2026-11-26T11:59:55.000Z'), {
      receivedAt: at('2026-11-26T12:00:10.000Z'),
      sentAt: '2026-11-26T12:00:00.000Z',
    });
    expect(result).toMatchObject({
      event_id: '0190a000-0000-7000-8000-000000000001',
      received_at: '2026-11-26T12:00:10.000Z',
      event_time: '2026-11-26T12:00:05.000Z',
    });
  });

  it("should take an event's own sent-at over its batch's, event by event", () => {
    const batch = { receivedAt: at('2026-11-26T12:00:10.000Z'), sentAt: '2026-11-26T12:00:00.000Z' };
    const times = [
      sut(event('2026-11-26T11:59:55.000Z'), batch),
      sut(event('2026-11-26T11:59:55.000Z', '2026-11-26T12:00:08.000Z'), batch),
      sut(event('2026-11-26T11:59:55.000Z'), batch),
    ].map((e) => e.event_time);
    expect(times).toEqual(['2026-11-26T12:00:05.000Z', '2026-11-26T11:59:57.000Z', '2026-11-26T12:00:05.000Z']);
  });

  it('should stamp each batch with its own receive time and cap event time at it', () => {
    const first = sut(event('2026-11-26T12:00:00.000Z'), { receivedAt: at('2026-11-26T12:00:01.000Z') });
    const second = sut(event('2026-11-26T12:30:00.000Z'), { receivedAt: at('2026-11-26T12:00:02.000Z') });
    expect([first.received_at, second.received_at, second.event_time]).toEqual([
      '2026-11-26T12:00:01.000Z',
      '2026-11-26T12:00:02.000Z',
      '2026-11-26T12:00:02.000Z',
    ]);
  });
});

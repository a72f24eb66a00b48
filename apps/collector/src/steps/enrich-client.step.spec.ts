import { describe, expect, it } from 'vitest';
import type { EnrichedEvent } from './enrich-event.step';
import { createEnrichClientStep } from './enrich-client.step';

const event = (context: Record<string, unknown> = {}) =>
  ({
    event_id: '0190a000-0000-7000-8000-000000000001',
    event_type: 'content.liked',
    schema_version: 1,
    user_id: 'u-1',
    client_ts: '2026-11-26T13:05:01.123Z',
    properties: { content_id: 'c-1', hashtags: [] },
    received_at: '2026-11-26T13:05:02.000Z',
    event_time: '2026-11-26T13:05:01.123Z',
    context,
  }) as unknown as EnrichedEvent;

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

describe(createEnrichClientStep.name, () => {
  const PROXY = '10.0.0.5';
  const sut = createEnrichClientStep({
    countryHeaders: ['cf-ipcountry', 'x-country'],
    isTrustedProxy: (peer) => peer === PROXY,
  });

  it('should add device, bot flag, country and anonymised IP from the request', () => {
    const result = sut(event({ locale: 'de-DE' }), {
      ip: '203.0.113.57',
      peer: PROXY,
      userAgent: CHROME,
      headers: { 'cf-ipcountry': 'DE' },
    });
    expect(result.context).toEqual({
      locale: 'de-DE',
      device: expect.objectContaining({ type: 'desktop', browser: 'Chrome', os: 'Windows' }),
      is_bot: false,
      country: 'DE',
      ip: '203.0.113.0',
    });
  });

  it('should ignore country headers unless the peer is a trusted proxy', () => {
    const spoofed = sut(event(), { ip: '203.0.113.57', peer: '203.0.113.57', headers: { 'cf-ipcountry': 'DE' } });
    const noPeer = sut(event(), { ip: '203.0.113.57', headers: { 'x-country': 'FR' } });
    const untrustedByDefault = createEnrichClientStep({ countryHeaders: ['cf-ipcountry'] })(event(), {
      peer: PROXY,
      headers: { 'cf-ipcountry': 'DE' },
    });

    expect([spoofed.context.country, noPeer.context.country, untrustedByDefault.context.country]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(spoofed.context.ip).toBe('203.0.113.0');
  });

  it("should give each request's events that request's address and country", () => {
    const first = { ip: '203.0.113.57', peer: PROXY, headers: { 'cf-ipcountry': 'DE' } };
    const second = { ip: '198.51.100.9', peer: PROXY, headers: { 'cf-ipcountry': 'FR' } };
    const contexts = [sut(event(), first), sut(event(), first), sut(event(), second), sut(event(), first)].map(
      (enriched) => [enriched.context.ip, enriched.context.country],
    );
    expect(contexts).toEqual([
      ['203.0.113.0', 'DE'],
      ['203.0.113.0', 'DE'],
      ['198.51.100.0', 'FR'],
      ['203.0.113.0', 'DE'],
    ]);
  });

  it("should prefer the event's own user agent over the request's", () => {
    const result = sut(event({ user_agent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' }), {
      userAgent: CHROME,
      headers: {},
    });
    expect(result.context).toMatchObject({ is_bot: true, device: { type: 'bot' } });
  });

  it('should overwrite client-sent server fields and keep no raw IP', () => {
    const result = sut(event({ is_bot: false, country: 'US', ip: '1.2.3.4' }), {
      ip: 'garbage',
      userAgent: 'curl/8.0',
      headers: {},
    });
    expect(JSON.parse(JSON.stringify(result)).context).toEqual({ is_bot: true, device: { type: 'bot' } });
  });
});

import { EVENT_TYPES, familyOf, validateEvent } from '@social-pulse/events';
import { describe, expect, it } from 'vitest';
import { adEvent, contentEvent, eventOfType, identifyEvent, userEvent } from './fixtures';

describe('event fixtures', () => {
  it.each([
    ['content', contentEvent],
    ['user', userEvent],
    ['user', identifyEvent],
    ['ad', adEvent],
  ] as const)('should make a valid %s event by default', (family, make) => {
    const event = make();
    const result = validateEvent(event);
    expect(result.ok, result.ok ? '' : result.reason).toBe(true);
    expect(familyOf(event.event_type)).toBe(family);
  });

  it('should give every event its own UUID v7 and the current time', () => {
    const before = Date.now();
    const [a, b] = [contentEvent(), contentEvent()];
    expect(a.event_id).not.toBe(b.event_id);
    expect(a.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(a.client_ts)).toBeGreaterThanOrEqual(before - 1);
  });

  it('should apply overrides, replacing properties whole, and keep the rest', () => {
    const event = contentEvent({ user_id: 'u-1', properties: { content_id: 'c-9' } });
    expect(event).toMatchObject({ user_id: 'u-1', properties: { content_id: 'c-9' }, event_type: 'content.viewed' });
    expect(event.properties).not.toHaveProperty('hashtags');
    expect(validateEvent(event).ok).toBe(true);
  });

  it('should take invalid overrides as they are, for tests of rejection', () => {
    const result = validateEvent(adEvent({ event_id: 'not-a-uuid' }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('UUID v7') });
  });

  it('should make a valid event of every type', () => {
    for (const type of Object.values(EVENT_TYPES).flat()) {
      const result = validateEvent(eventOfType(type));
      expect(result.ok, `${type}: ${result.ok ? '' : result.reason}`).toBe(true);
    }
  });
});

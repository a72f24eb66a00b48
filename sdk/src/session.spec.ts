import { describe, expect, it } from 'vitest';
import { memoryKeyValueStore } from './key-value-store';
import { isSessionCurrent, SessionTracker } from './session';

const MINUTE = 60_000;
const noon = Date.parse('2026-11-26T12:00:00.000Z');

function newTracker(start = noon, timeoutMs = 30 * MINUTE) {
  const clock = { now: start };
  const store = memoryKeyValueStore();
  return { sut: new SessionTracker(store, timeoutMs, () => clock.now), clock, store };
}

describe(SessionTracker.name, () => {
  describe('touch', () => {
    it('should start a session on first activity and keep it while active', () => {
      const { sut, clock } = newTracker();
      const first = sut.touch();
      expect(first.started).toBe(true);
      for (let i = 0; i < 5; i++) {
        clock.now += 20 * MINUTE; // 100 minutes in all, never 30 silent
        expect(sut.touch()).toEqual({ id: first.id, started: false });
      }
    });

    it('should rotate after the inactivity timeout', () => {
      const { sut, clock } = newTracker();
      const first = sut.touch();
      clock.now += 30 * MINUTE + 1;
      const second = sut.touch();
      expect(second.started).toBe(true);
      expect(second.id).not.toBe(first.id);
    });

    it('should honour a configured timeout', () => {
      const { sut, clock } = newTracker(noon, 5 * MINUTE);
      const first = sut.touch();
      clock.now += 6 * MINUTE;
      expect(sut.touch().id).not.toBe(first.id);
    });

    it('should rotate at midnight UTC even while active', () => {
      const { sut, clock } = newTracker(Date.parse('2026-11-26T23:59:00.000Z'));
      const first = sut.touch();
      clock.now += 2 * MINUTE;
      const second = sut.touch();
      expect(second).toMatchObject({ started: true });
      expect(second.id).not.toBe(first.id);
    });

    it('should share the session with another tab using the same storage', () => {
      const { sut, clock, store } = newTracker();
      const otherTab = new SessionTracker(store, 30 * MINUTE, () => clock.now);
      const first = sut.touch();
      clock.now += 20 * MINUTE;
      expect(otherTab.touch()).toEqual({ id: first.id, started: false });
      clock.now += 20 * MINUTE; // 40 minutes after this tab's last event, 20 after the other's
      expect(sut.touch().id).toBe(first.id);
    });

    it('should start over when the stored session is unreadable', () => {
      const { sut, store } = newTracker();
      store.set('social_pulse_session', '{not json');
      expect(sut.touch().started).toBe(true);
    });
  });

  describe('current', () => {
    it('should name the current session without extending it, and none once it expired', () => {
      const { sut, clock } = newTracker();
      expect(sut.current()).toBeUndefined();
      const first = sut.touch();
      clock.now += 20 * MINUTE;
      expect(sut.current()).toBe(first.id);
      clock.now += 11 * MINUTE; // 31 minutes after the touch: current() did not count as activity
      expect(sut.current()).toBeUndefined();
      expect(sut.touch().started).toBe(true);
    });
  });

  describe('end', () => {
    it('should make the next touch start a new session', () => {
      const { sut } = newTracker();
      const first = sut.touch();
      sut.end();
      expect(sut.touch()).toMatchObject({ started: true });
      expect(sut.touch().id).not.toBe(first.id);
    });
  });
});

describe('isSessionCurrent', () => {
  it('should treat a missing session as not current', () => {
    expect(isSessionCurrent(undefined, noon, MINUTE)).toBe(false);
  });
});

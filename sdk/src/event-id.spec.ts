import { describe, expect, it } from 'vitest';
import { createEventIds } from './event-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createEventIds', () => {
  it('should make valid UUID v7 ids that sort in the order they were made within one millisecond', () => {
    const sut = createEventIds();
    const ids = Array.from({ length: 5000 }, () => sut(1_764_000_000_000)); // more than 4096: spills into the next ms
    ids.forEach((id) => expect(id).toMatch(UUID_V7));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('should keep order when the clock steps back', () => {
    const sut = createEventIds();
    const first = sut(2000);
    expect(sut(1000) > first).toBe(true);
  });
});

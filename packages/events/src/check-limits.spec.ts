import { describe, expect, it } from 'vitest';
import { checkShape } from './check-limits';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe(checkShape.name, () => {
  const limits = { maxDepth: 10, maxStringLength: 100, maxKeyLength: 20 };

  describe('successful checks', () => {
    it('should accept an event within every limit', () => {
      expect(checkShape({ properties: { tags: ['a', 'b'], n: 1, ok: true, none: null } }, limits)).toBeUndefined();
    });

    it('should accept nesting exactly at the limit below the root', () => {
      expect(checkShape({ properties: nested(10) }, limits)).toBeUndefined();
    });
  });

  describe('error handling', () => {
    it('should reject nesting one level too deep with the path', () => {
      expect(checkShape({ properties: nested(11) }, limits)).toMatch(
        /^properties\.a\.a.*: nested deeper than 10 levels$/,
      );
    });

    it('should reject a long string and a long key', () => {
      expect(checkShape({ properties: { bio: 'x'.repeat(101) } }, limits)).toBe(
        'properties.bio: string of 101 characters; the limit is 100',
      );
      expect(checkShape({ ['k'.repeat(21)]: 1 }, limits)).toContain('key of 21 characters');
    });

    it('should not overflow the stack on 100,000 levels of arrays', () => {
      const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
      expect(checkShape(deep, limits)).toContain('nested deeper than 10 levels');
    });
  });
});

import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, formatMoney, formatMultiple, formatPercent, microsToDecimal, NONE } from './format';

describe('format', () => {
  describe(microsToDecimal.name, () => {
    it.each([
      ['0', '0.00'],
      ['1', '0.00'],
      ['5000', '0.01'],
      ['12500000', '12.50'],
      ['-3004999', '-3.00'],
      ['-3005000', '-3.01'],
      // Past 2^53 micros: a double would have rounded the cents away.
      ['123456789012345678901', '123456789012345.68'],
    ])('should write %s micros as %s, exactly', (micros, decimal) => {
      expect(microsToDecimal(micros)).toBe(decimal);
    });
  });

  describe(formatMoney.name, () => {
    it('should write a currency with its symbol', () => {
      expect(formatMoney('12500000', 'USD')).toMatch(/^\$12\.50$/);
    });

    it('should write money of an unknown currency with the code beside it', () => {
      expect(formatMoney('1500000', 'unknown')).toBe('1.5 unknown');
    });

    it('should write a missing amount (CPA without conversions) as a dash, not 0', () => {
      expect(formatMoney(null, 'EUR')).toBe(NONE);
    });
  });

  describe('ratios', () => {
    it('should write a ratio whose denominator was 0 as a dash', () => {
      expect(formatPercent(null)).toBe(NONE);
      expect(formatMultiple(null)).toBe(NONE);
    });

    it('should write ratios as percentages and multiples', () => {
      expect(formatPercent(0.0423)).toBe('4.2%');
      expect(formatMultiple(3.84)).toBe('3.84×');
    });
  });

  describe(formatDuration.name, () => {
    it.each([
      [870, '0.9 s'],
      [45_000, '45 s'],
      [95_000, '1 min 35 s'],
      [3_600_000, '1 h'],
      [7_500_000, '2 h 5 min'],
    ])('should write %i ms as %s', (ms, text) => {
      expect(formatDuration(ms)).toBe(text);
    });
  });

  describe(formatAge.name, () => {
    it.each([
      [4_200, '4 s'],
      [89_000, '89 s'],
      [180_000, '3 min'],
      [7_200_000, '2 h'],
      [3 * 86_400_000, '3 days'],
    ])('should write an age of %i ms as %s', (ms, text) => {
      expect(formatAge(ms)).toBe(text);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { adIdParam, countOf, microsOf, microsPer, ratioOf } from './ads-measures';

describe(countOf.name, () => {
  it('should read counts sent as numbers or as quoted Int64 text, negative ones included', () => {
    expect([countOf(12, 'clicks'), countOf('12', 'clicks'), countOf('-3', 'clicks'), countOf('0', 'clicks')]).toEqual([
      12, 12, -3, 0,
    ]);
  });

  it('should fail rather than round a count past 2^53', () => {
    expect(() => countOf('9007199254740993', 'impressions')).toThrow(
      'impressions 9007199254740993 is not an integer a number holds exactly',
    );
  });

  it('should fail on text that is not an integer', () => {
    expect(() => countOf('1e3', 'clicks')).toThrow(/clicks 1e3/);
    expect(() => countOf('', 'clicks')).toThrow(/clicks/);
  });
});

describe(microsOf.name, () => {
  it('should keep micros past 2^53 exact, as decimal text', () => {
    expect(microsOf('9007199254740993', 'spend_micros')).toBe('9007199254740993');
    expect(microsOf('-9223372036854775808', 'spend_micros')).toBe('-9223372036854775808');
  });

  it('should normalise the text and take safe numbers', () => {
    expect(microsOf('007', 'spend_micros')).toBe('7');
    expect(microsOf(1_500_000, 'spend_micros')).toBe('1500000');
  });

  it('should refuse a number that was already rounded on its way', () => {
    expect(() => microsOf(2 ** 53 + 2, 'revenue_micros')).toThrow(/revenue_micros .* was rounded/);
  });
});

describe(ratioOf.name, () => {
  it('should divide, keeping six decimals', () => {
    expect(ratioOf(1, 3)).toBe(0.333333);
    expect(ratioOf(5, 10_000)).toBe(0.0005);
    expect(ratioOf(48_000_000n, 12_500_000n)).toBe(3.84);
  });

  it('should be null, not Infinity or 0, without a denominator', () => {
    expect(ratioOf(5, 0)).toBeNull();
    expect(ratioOf(0, 0)).toBeNull();
    expect(ratioOf(10n, 0n)).toBeNull();
    expect(ratioOf(5, -1)).toBeNull();
  });

  it('should be 0 for nothing over something', () => {
    expect(ratioOf(0, 10)).toBe(0);
  });
});

describe(microsPer.name, () => {
  it('should divide in integer arithmetic, rounding half away from zero', () => {
    expect(microsPer('10000000', 3)).toBe('3333333');
    expect(microsPer('20000000', 3)).toBe('6666667');
    expect(microsPer('5', 2)).toBe('3');
    expect(microsPer('-5', 2)).toBe('-3');
    expect(microsPer('90071992547409930', 10)).toBe('9007199254740993');
  });

  it('should be null without units to divide by', () => {
    expect(microsPer('10000000', 0)).toBeNull();
    expect(microsPer('0', 0)).toBeNull();
  });
});

describe(adIdParam.name, () => {
  const schema = adIdParam('campaign_id');
  const problems = (value: unknown) => {
    const result = schema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('should take an id of 1 to 128 characters, or none', () => {
    expect(schema.parse('summer-sale')).toBe('summer-sale');
    expect(schema.parse('x'.repeat(128))).toHaveLength(128);
    expect(schema.parse(undefined)).toBeUndefined();
  });

  it.each([
    ['', 'campaign_id must not be empty'],
    ['x'.repeat(129), 'campaign_id must be at most 128 characters'],
    [['a', 'b'], 'campaign_id must be given once, as text'],
  ])('should refuse %j with "%s"', (value, message) => {
    expect(problems(value)).toEqual([message]);
  });
});

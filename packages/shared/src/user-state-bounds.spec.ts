import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USER_STATE_BOUNDS, USER_STATE_MAX_BOUND_MS } from './user-state-bounds';

const JAVA = join(__dirname, '..', '..', '..', 'flink', 'src', 'main', 'java', 'dev', 'socialpulse', 'flink');
const UNITS: Record<string, number> = {
  Millis: 1,
  Seconds: 1_000,
  Minutes: 60_000,
  Hours: 3_600_000,
  Days: 86_400_000,
};

/** A constant's value in ms: `NAME = Duration.ofDays(30)` or `NAME = 24 * 60 * 60_000L`. */
function constantMs(file: string, name: string): number {
  const text = readFileSync(join(JAVA, file), 'utf8');
  const duration = new RegExp(`${name} = Duration\\.of(\\w+)\\((\\d+)\\)`).exec(text);
  if (duration) return Number(duration[2]) * UNITS[duration[1]];
  const product = new RegExp(`${name} = ([\\d_L* ]+);`).exec(text);
  if (!product) throw new Error(`${name} not found in ${file}`);
  return product[1]
    .split('*')
    .map((factor) => Number(factor.trim().replace(/_/g, '').replace(/L$/, '')))
    .reduce((a, b) => a * b, 1);
}

describe('USER_STATE_BOUNDS', () => {
  it.each(USER_STATE_BOUNDS.map((b) => [b.source, b] as const))('should equal the job default %s', (_, bound) => {
    const [file, ...rest] = bound.source.split(' ');
    const constants = rest.join(' ');
    const total = constants
      .split('+')
      .map((name) => constantMs(file, name.trim()))
      .reduce((a, b) => a + b, 0);
    if (bound.source.startsWith('trending/')) {
      // The trending TTL is at least the default (raised for longer horizons); the bound is the default.
      expect(bound.boundMs).toBeGreaterThanOrEqual(total);
    } else expect(bound.boundMs).toBe(total);
  });

  it('should take the 30-day profile TTL of the ads job as the longest', () => {
    expect(USER_STATE_MAX_BOUND_MS).toBe(30 * 86_400_000);
  });
});

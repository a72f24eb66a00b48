import { describe, expect, it } from 'vitest';
import { browserRefusal } from './http-server';

const allowed = new Set(['http://localhost:3000']);

describe(browserRefusal.name, () => {
  it('should let requests without Origin or Sec-Fetch-Site through (curl, drivers, other servers)', () => {
    expect(browserRefusal({}, new Set())).toBeUndefined();
    expect(browserRefusal({ 'sec-fetch-site': 'none' }, new Set())).toBeUndefined();
    expect(browserRefusal({ 'sec-fetch-site': 'same-origin' }, new Set())).toBeUndefined();
  });

  it.each(['https://evil.example', 'null', 'http://localhost:3001', 'http://localhost:3000.evil.example'])(
    'should refuse Origin %s with ACCESS_DENIED naming CHDB_ALLOWED_ORIGINS',
    (origin) => {
      const refusal = browserRefusal({ origin }, allowed);
      expect(refusal).toMatchObject({ code: 497, type: 'ACCESS_DENIED' });
      expect(refusal?.message).toContain('CHDB_ALLOWED_ORIGINS');
    },
  );

  it('should refuse every browser origin when none is allowed', () => {
    expect(browserRefusal({ origin: 'http://localhost:3000' }, new Set())?.code).toBe(497);
  });

  it('should allow a listed origin, also with a trailing slash or other case, even cross-site', () => {
    expect(browserRefusal({ origin: 'http://localhost:3000' }, allowed)).toBeUndefined();
    expect(browserRefusal({ origin: 'HTTP://LOCALHOST:3000/' }, allowed)).toBeUndefined();
    expect(
      browserRefusal({ origin: 'http://localhost:3000', 'sec-fetch-site': 'cross-site' }, allowed),
    ).toBeUndefined();
  });

  it('should refuse Sec-Fetch-Site: cross-site without an allowed Origin', () => {
    expect(browserRefusal({ 'sec-fetch-site': 'cross-site' }, allowed)?.message).toContain('Sec-Fetch-Site');
    expect(browserRefusal({ 'sec-fetch-site': 'Cross-Site' }, allowed)?.code).toBe(497);
  });
});

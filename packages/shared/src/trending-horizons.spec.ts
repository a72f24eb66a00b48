import { describe, expect, it } from 'vitest';
import horizonsFile from '../trending-horizons.json';
import {
  parseTrendingHorizons,
  TRENDING_HORIZON_LABELS,
  TRENDING_HORIZONS,
  trendingHorizon,
} from './trending-horizons';

describe('TRENDING_HORIZONS', () => {
  it('should be the horizons of trending-horizons.json, in its order', () => {
    expect(TRENDING_HORIZONS).toEqual(horizonsFile.horizons);
    expect(TRENDING_HORIZON_LABELS).toEqual(horizonsFile.horizons.map((h) => h.label));
  });

  it('should find a horizon by label and refuse an unknown one', () => {
    expect(trendingHorizon(TRENDING_HORIZON_LABELS[0])).toBe(TRENDING_HORIZONS[0]);
    expect(() => trendingHorizon('1y')).toThrow('unknown trending horizon 1y');
  });
});

describe(parseTrendingHorizons.name, () => {
  const horizon = { label: '1m', windowSeconds: 60, slideSeconds: 2 };

  it.each([
    [{ horizons: [] }, 'expected a non-empty "horizons" list'],
    [{ horizons: [{ ...horizon, label: '' }] }, 'horizon 1: expected a label'],
    [{ horizons: [horizon, horizon] }, 'horizon 2: label 1m appears twice'],
    [{ horizons: [{ ...horizon, windowSeconds: 0 }] }, 'horizon 1: expected a positive whole windowSeconds'],
    [{ horizons: [{ ...horizon, slideSeconds: 1.5 }] }, 'horizon 1: expected a positive whole slideSeconds'],
    [{ horizons: [{ ...horizon, slideSeconds: 7 }] }, 'horizon 1: slideSeconds must divide windowSeconds'],
  ])('should refuse %j', (file, message) => {
    expect(() => parseTrendingHorizons(file)).toThrow(message);
  });
});

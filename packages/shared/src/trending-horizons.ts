import horizonsFile from '../trending-horizons.json';

/** One trending horizon: a sliding window of windowSeconds that moves every slideSeconds. */
export interface TrendingHorizon {
  /** How the API and the rows name it: 1m, 5m, 15m. */
  label: string;
  windowSeconds: number;
  /** How often the window moves (the job's pane size); divides windowSeconds. */
  slideSeconds: number;
}

/**
 * Checks the horizons file: labels unique and non-empty, whole positive seconds, each slide dividing
 * its window. Throws naming the first problem, so a bad edit fails at start, not as empty answers.
 */
export function parseTrendingHorizons(file: { horizons: unknown }): readonly TrendingHorizon[] {
  if (!Array.isArray(file.horizons) || file.horizons.length === 0) {
    throw new Error('trending-horizons.json: expected a non-empty "horizons" list');
  }
  const seen = new Set<string>();
  return Object.freeze(
    file.horizons.map((entry: Partial<TrendingHorizon>, index) => {
      const { label, windowSeconds, slideSeconds } = entry;
      const where = `trending-horizons.json: horizon ${index + 1}`;
      if (typeof label !== 'string' || !/^[a-z0-9]+$/.test(label)) throw new Error(`${where}: expected a label`);
      if (seen.has(label)) throw new Error(`${where}: label ${label} appears twice`);
      seen.add(label);
      for (const [name, value] of [
        ['windowSeconds', windowSeconds],
        ['slideSeconds', slideSeconds],
      ] as const) {
        if (!Number.isInteger(value) || value! <= 0) throw new Error(`${where}: expected a positive whole ${name}`);
      }
      if (windowSeconds! % slideSeconds! !== 0) throw new Error(`${where}: slideSeconds must divide windowSeconds`);
      return Object.freeze({ label, windowSeconds: windowSeconds!, slideSeconds: slideSeconds! });
    }),
  );
}

/** The trending horizons, shortest first, from packages/shared/trending-horizons.json (the Flink job reads it too). */
export const TRENDING_HORIZONS = parseTrendingHorizons(horizonsFile);

/**
 * A horizon's label. The file is the one home of the labels, so the type is not a literal union
 * (that would be a second copy); code that needs one validates against TRENDING_HORIZON_LABELS.
 */
export type TrendingHorizonLabel = TrendingHorizon['label'];

/** The labels, for enums and validation: a non-empty tuple as z.enum() wants it. */
export const TRENDING_HORIZON_LABELS = TRENDING_HORIZONS.map((horizon) => horizon.label) as [
  TrendingHorizonLabel,
  ...TrendingHorizonLabel[],
];

/** The horizon with this label; throws on an unknown one (callers validate labels at the edge). */
export function trendingHorizon(label: TrendingHorizonLabel): TrendingHorizon {
  const horizon = TRENDING_HORIZONS.find((h) => h.label === label);
  if (!horizon) throw new Error(`unknown trending horizon ${label}`);
  return horizon;
}

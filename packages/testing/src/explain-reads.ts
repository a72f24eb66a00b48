/** A number of parts and of granules (blocks of index_granularity rows, the unit ClickHouse reads). */
export interface PartsAndGranules {
  parts: number;
  granules: number;
}

/** One index of a read's analysis, in the order applied: what it kept out of what it was handed. */
export interface IndexAnalysis {
  /** As EXPLAIN names it: Min-Max, Partition, PrimaryKey, Skip… */
  index: string;
  kept: PartsAndGranules;
  of: PartsAndGranules;
}

/** One ReadFromMergeTree step of a plan, as `EXPLAIN indexes = 1` describes it. */
export interface ExplainedRead {
  /** The database and table read, e.g. 'default' and 'engagement_minute'. */
  database: string;
  table: string;
  /** What the step reads (its `Parts: n | Granules: m` line); null when planned to read nothing at all. */
  reads: PartsAndGranules | null;
  /** Every index analysed, in order; empty when none was (an always-false condition reads nothing). */
  indexes: IndexAnalysis[];
  /** What the first index was handed: every active part of the table and all their granules. */
  total: PartsAndGranules | null;
  /**
   * Left by the time-range indexes: the last of Min-Max (the partition key's columns, per part) and
   * Partition (the partition key itself). Null when neither was analysed.
   */
  byTimeRange: PartsAndGranules | null;
  /** Left by the last index (the primary key, skip indexes): what the step selects to read. */
  selected: PartsAndGranules | null;
}

const TIME_RANGE_INDEXES = ['Min-Max', 'Partition'];

/** Where a line's text starts, past the plan tree's drawing (│ ├ └ ─) and indentation. */
const depthOf = (line: string) => line.search(/[^\s│├└─]/);

const countsOf = (lines: string[], name: string) => {
  const match = lines.map((line) => new RegExp(`^[\\s│]*${name}: (\\d+)/(\\d+)$`).exec(line)).find(Boolean);
  return match ? { kept: Number(match[1]), of: Number(match[2]) } : undefined;
};

/**
 * Each table read in an `EXPLAIN indexes = 1` plan (text as ClickHouse prints it, e.g. format
 * TabSeparatedRaw), in plan order, with what its indexes pruned: tests use it to show a statement
 * reads fewer parts and granules than its tables hold. Each index is handed what the previous one
 * kept, so `total` is the table, `byTimeRange` what the time bounds alone leave (the parts whose
 * periods overlap the range), and `selected` what is left to read.
 */
export function explainedReads(explain: string): ExplainedRead[] {
  const lines = explain.split('\n');
  return lines.flatMap((line, at) => {
    const step = /ReadFromMergeTree \(([^)]+)\)/.exec(line);
    if (!step) return [];
    const depth = depthOf(line);
    const end = lines.findIndex((next, i) => i > at && depthOf(next) <= depth);
    const block = lines.slice(at + 1, end === -1 ? undefined : end);

    const summary = block.map((l) => /^[\s│]*Parts: (\d+) \| Granules: (\d+)/.exec(l)).find(Boolean);
    const indexesAt = block.findIndex((l) => /^[\s│]*Indexes:$/.test(l));
    const indexes: IndexAnalysis[] = [];
    if (indexesAt !== -1) {
      const entryDepth = depthOf(block[indexesAt + 1] ?? '');
      const section = block.slice(indexesAt + 1);
      const sectionEnd = section.findIndex((l) => depthOf(l) < entryDepth);
      const entries = section.slice(0, sectionEnd === -1 ? undefined : sectionEnd);
      entries.forEach((entry, i) => {
        if (depthOf(entry) !== entryDepth) return;
        const next = entries.findIndex((l, j) => j > i && depthOf(l) === entryDepth);
        const body = entries.slice(i + 1, next === -1 ? undefined : next);
        const parts = countsOf(body, 'Parts');
        const granules = countsOf(body, 'Granules');
        if (!parts || !granules) return; // Ranges: n, not an index
        indexes.push({
          index: entry.slice(entryDepth).trim(),
          kept: { parts: parts.kept, granules: granules.kept },
          of: { parts: parts.of, granules: granules.of },
        });
      });
    }

    const name = step[1];
    const dot = name.indexOf('.');
    return [
      {
        database: dot === -1 ? '' : name.slice(0, dot),
        table: name.slice(dot + 1),
        reads: summary ? { parts: Number(summary[1]), granules: Number(summary[2]) } : null,
        indexes,
        total: indexes[0]?.of ?? null,
        byTimeRange: indexes.filter((i) => TIME_RANGE_INDEXES.includes(i.index)).at(-1)?.kept ?? null,
        selected: indexes.at(-1)?.kept ?? null,
      },
    ];
  });
}

import type { ChdbResult } from 'chdb';
import { emptySummary, type Summary } from './response-output';

/** The X-ClickHouse-Summary of a statement the engine ran whole. */
export function summaryOf(
  result: ChdbResult,
  started: bigint,
  extra: { written?: boolean; resultBytes?: number },
): Summary {
  const summary = emptySummary();
  summary.read_rows = result.rowsRead;
  summary.read_bytes = result.bytesRead;
  if (extra.written) {
    summary.written_rows = result.rowsRead;
    summary.written_bytes = result.bytesRead;
  }
  summary.result_bytes = extra.resultBytes ?? 0;
  summary.elapsed_ns = Number(process.hrtime.bigint() - started);
  return summary;
}

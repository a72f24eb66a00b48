/** The Content-Type ClickHouse sends for each output format family. */
export function contentTypeFor(format: string): string {
  const f = format.toLowerCase();
  if (f.startsWith('tabseparated') || f.startsWith('tsv')) return 'text/tab-separated-values; charset=UTF-8';
  if (f.startsWith('csv')) return `text/csv; charset=UTF-8; header=${f.includes('withnames') ? 'present' : 'absent'}`;
  if (f.includes('eachrow') && f.startsWith('json')) return 'application/x-ndjson; charset=UTF-8';
  if (f.startsWith('json') || f === 'ndjson' || f === 'jsonl') return 'application/json; charset=UTF-8';
  if (f === 'xml') return 'application/xml; charset=UTF-8';
  if (f === 'markdown' || f === 'md') return 'text/markdown; charset=UTF-8';
  if (
    f.startsWith('rowbinary') ||
    f === 'native' ||
    f === 'parquet' ||
    f.startsWith('arrow') ||
    f === 'orc' ||
    f === 'avro' ||
    f.startsWith('protobuf') ||
    f === 'msgpack' ||
    f === 'capnproto' ||
    f === 'bson' ||
    f === 'npy'
  ) {
    return 'application/octet-stream';
  }
  return 'text/plain; charset=UTF-8';
}

/**
 * Bytes that make an interrupted INSERT's data unparseable, so the engine fails the statement
 * instead of storing the rows that arrived before the client went away.
 */
export function poisonTailFor(format: string): Buffer {
  const f = format.toLowerCase();
  if (f.startsWith('json')) return Buffer.from('\n{');
  if (f.startsWith('csv')) return Buffer.from('\n"');
  if (f.startsWith('tabseparated') || f.startsWith('tsv')) return Buffer.from('\n\\');
  if (f === 'values') return Buffer.from(' (');
  // Binary formats: a truncated value fails to read.
  return Buffer.from([0xff]);
}

import { ClickHouseError } from './clickhouse-error';

/**
 * The fields of a multipart/form-data body. Clients send long query parameters this way
 * (`query` and `param_*` fields); file parts would be external tables, which are not supported.
 */
export function parseMultipartFields(body: Buffer, contentType: string): Map<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) throw ClickHouseError.of('BAD_ARGUMENTS', 'multipart/form-data without a boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields = new Map<string, string>();
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing delimiter
    if (body[start] === 0x0d) start++;
    if (body[start] === 0x0a) start++;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw ClickHouseError.of('BAD_ARGUMENTS', 'malformed multipart/form-data part');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    let value = part.subarray(headerEnd + 4);
    if (value.length >= 2 && value[value.length - 2] === 0x0d && value[value.length - 1] === 0x0a)
      value = value.subarray(0, -2);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (/filename=/i.test(headers)) {
      throw ClickHouseError.of(
        'NOT_IMPLEMENTED',
        'External tables (file parts of multipart/form-data) are not supported by this server',
      );
    }
    if (name !== undefined && !fields.has(name)) fields.set(name, value.toString('utf8'));
    pos = next;
  }
  return fields;
}

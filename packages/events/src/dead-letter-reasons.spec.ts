import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASONS, deadLetterReason } from './dead-letter-reasons';

const MIGRATION = join(__dirname, '..', '..', '..', 'clickhouse', 'migrations', '0003_event_archive.sql');

describe('DEAD_LETTER_REASONS', () => {
  it("should be exactly the dead_letters table's reason_code enum, value for value", () => {
    const sql = readFileSync(MIGRATION, 'utf8');
    const enumText = /reason_code Enum8\(([^)]*)\)/.exec(sql)?.[1] ?? '';
    const entries = [...enumText.matchAll(/'([a-z_]+)' = (\d+)/g)].map(([, name, value]) => [name, Number(value)]);

    expect(entries).toEqual(DEAD_LETTER_REASONS.map((name, value) => [name, value]));
  });

  it.each([
    ['properties.text: string of 101 characters; the limit is 100', 'string_length'],
    ['event is 5000 bytes; the limit is 4096', 'event_size'],
    ['context.page.url: expected string', 'context'],
    ['client_ts: expected an ISO-8601 time', 'client_ts'],
    ['properties.évil_ключ: nope', 'properties'],
    ['constructor: nope', 'other'],
    ['whatever-the-client-sent: nope', 'other'],
  ])('should code %j as %s', (reason, code) => {
    expect(deadLetterReason(reason)).toBe(code);
  });
});

import { describe, expect, it } from 'vitest';
import { ClickHouseError, httpStatusFor, toClickHouseError } from './clickhouse-error';

describe(toClickHouseError.name, () => {
  it('should read the code, message and name of an engine error', () => {
    const error = toClickHouseError(
      new Error(
        "Code: 60. DB::Exception: Unknown table expression identifier 'x' in scope SELECT * FROM x. (UNKNOWN_TABLE)",
      ),
    );
    expect(error).toMatchObject({
      code: 60,
      type: 'UNKNOWN_TABLE',
      message: "Unknown table expression identifier 'x' in scope SELECT * FROM x.",
    });
    expect(error.format('26.7.2.1')).toBe(
      "Code: 60. DB::Exception: Unknown table expression identifier 'x' in scope SELECT * FROM x. (UNKNOWN_TABLE) (version 26.7.2.1)",
    );
  });

  it('should unwrap the doubled prefix of insert errors', () => {
    const error = toClickHouseError(
      new Error(
        'Code: 33. DB::Exception: Code: 33. DB::Exception: Cannot read all data: (at row 2)\n. (CANNOT_READ_ALL_DATA)',
      ),
    );
    expect(error).toMatchObject({ code: 33, type: 'CANNOT_READ_ALL_DATA' });
    expect(error.format('v')).toMatch(/^Code: 33\. DB::Exception: Cannot read all data/);
  });

  it('should call anything else an unknown exception', () => {
    expect(toClickHouseError(new Error('socket hang up'))).toMatchObject({
      code: 1002,
      type: 'UNKNOWN_EXCEPTION',
    });
  });
});

describe(httpStatusFor.name, () => {
  it.each([
    ['SYNTAX_ERROR', 62, 400],
    ['UNKNOWN_TABLE', 60, 404],
    ['UNKNOWN_SETTING', 115, 404],
    ['AUTHENTICATION_FAILED', 516, 403],
    ['REQUIRED_PASSWORD', 194, 401],
    ['QUERY_IS_TOO_LARGE', 229, 413],
    ['NOT_IMPLEMENTED', 48, 501],
    ['TIMEOUT_EXCEEDED', 159, 408],
    ['READONLY', 164, 500],
  ])('should answer %s with the status ClickHouse uses', (type, code, status) => {
    expect(httpStatusFor(new ClickHouseError(code, type, 'x'))).toBe(status);
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe(formatBytes.name, () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024 ** 3, '10.0 GiB'],
    [-2048, '-2.0 KiB'],
  ])('should write %d as %j', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

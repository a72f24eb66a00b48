import { describe, expect, it } from 'vitest';
import { maskCredentials } from './mask';

describe(maskCredentials.name, () => {
  it.each([
    ['http://user:s3cret@host:8123', 'http://user:***@host:8123'],
    ['redis://:s3cret@cache:6379', 'redis://:***@cache:6379'],
    ['https://s3cret-token@git.example/repo', 'https://***@git.example/repo'],
    ['http://user:p@ss/w:rd@host', 'http://user:***@host'],
    ['http://a:s3cret@one,http://b:s3cret@two', 'http://a:***@one,http://b:***@two'],
    ['user:s3cret@host:8123', 'user:***@host:8123'],
    ['http//user:s3cret@host', 'http//user:***@host'],
    ['http://host:8123/?user=a&password=s3cret&query=1', 'http://host:8123/?user=a&password=***&query=1'],
  ])('should mask the credentials in %j', (value, masked) => {
    expect(maskCredentials(value)).toBe(masked);
    expect(maskCredentials(value)).not.toContain('s3cret');
  });

  it.each([
    'http://127.0.0.1:8123',
    '127.0.0.1:8123',
    'kafka-1:9092,kafka-2:9092',
    'key1-abcd:https://a.example|https://b.example:8443,key2-abcd:*',
    'not a url',
  ])('should leave %j as it is', (value) => {
    expect(maskCredentials(value)).toBe(value);
  });

  it('should leave masked values masked', () => {
    expect(maskCredentials('http://user:***@host')).toBe('http://user:***@host');
  });
});

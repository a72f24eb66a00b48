import { describe, expect, it } from 'vitest';
import { createProxyTrust, rateLimitNameOf } from './client-address';
import { loadCollectorConfig } from './config';

describe(createProxyTrust.name, () => {
  it('should trust the listed addresses and CIDRs, IPv4-mapped forms included', () => {
    const sut = createProxyTrust(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1']);

    expect(['10.1.2.3', '::ffff:10.1.2.3', '192.0.2.7', '2001:db8:ffff::1', '::1'].map(sut)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['11.0.0.1', '192.0.2.8', '2001:db9::1', '127.0.0.1', 'not-an-ip', '', undefined].map(sut)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('should trust nobody, loopback included, when the list is empty', () => {
    const sut = createProxyTrust([]);

    expect(['127.0.0.1', '::1', '10.0.0.1'].map(sut)).toEqual([false, false, false]);
  });
});

describe(rateLimitNameOf.name, () => {
  it.each([
    ['203.0.113.57', '203.0.113.57'],
    ['::ffff:198.51.100.9', '198.51.100.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::ffff', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['1::3:4:5:6:1.2.3.4', '1:0:3:4::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('should bucket %s as %s', (address, name) => {
    expect(rateLimitNameOf(address)).toBe(name);
  });
});

describe('TRUSTED_PROXIES', () => {
  it('should default to none and read addresses and CIDRs', () => {
    expect(loadCollectorConfig({}).TRUSTED_PROXIES).toEqual([]);
    expect(loadCollectorConfig({ TRUSTED_PROXIES: '10.0.0.0/8, ::1' }).TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '::1']);
  });

  it.each(['loopback', '10.0.0.0/33', '10.0.0.0/x', '300.1.1.1'])('should refuse %s', (value) => {
    expect(() => loadCollectorConfig({ TRUSTED_PROXIES: value })).toThrow('expected addresses or CIDRs');
  });
});

import { describe, expect, it } from 'vitest';
import { createAnonymizeIpStep } from './anonymize-ip.step';

describe(createAnonymizeIpStep.name, () => {
  const sut = createAnonymizeIpStep();

  describe('successful anonymisation', () => {
    it.each([
      ['203.0.113.57', '203.0.113.0'],
      ['::ffff:198.51.100.9', '198.51.100.0'],
      ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
      ['2001:0db8:0000::1', '2001:db8:0::'],
      ['2001:db8::', '2001:db8:0::'],
      ['::1', '0:0:0::'],
      ['fe80::1%eth0', 'fe80:0:0::'],
      ['1::3:4:5:6:1.2.3.4', '1:0:3::'],
    ])('should coarsen %s to %s', (ip, expected) => {
      expect(sut(ip)).toBe(expected);
    });
  });

  describe('edge cases', () => {
    it('should give undefined for what is not an address', () => {
      expect(sut(undefined)).toBeUndefined();
      expect(sut('')).toBeUndefined();
      expect(sut('not-an-ip')).toBeUndefined();
      expect(sut('999.1.1.1')).toBeUndefined();
    });
  });
});

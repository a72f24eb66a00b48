import { describe, expect, it } from 'vitest';
import { createParseUserAgentStep } from './parse-user-agent.step';

const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  curl: 'curl/8.5.0',
};

describe(createParseUserAgentStep.name, () => {
  const sut = createParseUserAgentStep();

  describe('successful parsing', () => {
    it('should read a desktop browser', () => {
      expect(sut(UA.chromeWindows)).toEqual({
        device: {
          type: 'desktop',
          os: 'Windows',
          os_version: 'NT 10.0',
          browser: 'Chrome',
          browser_version: '120.0.0.0',
        },
        is_bot: false,
      });
    });

    it('should read a phone and a tablet', () => {
      expect(sut(UA.safariIphone).device).toMatchObject({ type: 'mobile', os: 'iOS', browser: 'Safari' });
      expect(sut(UA.ipad).device).toMatchObject({ type: 'tablet', os: 'iOS' });
    });
  });

  describe('bots', () => {
    it.each([
      ['a crawler', UA.googlebot],
      ['a headless browser', UA.headless],
      ['curl', UA.curl],
    ])('should flag %s', (_, ua) => {
      const info = sut(ua);
      expect(info.is_bot).toBe(true);
      expect(info.device.type).toBe('bot');
    });
  });

  describe('edge cases', () => {
    it('should give an unknown device without a user agent or with garbage', () => {
      expect(sut(undefined)).toEqual({ device: { type: 'unknown' }, is_bot: false });
      expect(sut('\u0000\uffff%%%').device.type).toBe('unknown');
    });

    it('should answer the same for a cached user agent', () => {
      expect(sut(UA.chromeWindows)).toBe(sut(UA.chromeWindows));
    });
  });
});

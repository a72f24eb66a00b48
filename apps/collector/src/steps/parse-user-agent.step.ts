import Bowser from 'bowser';
import { isbot } from 'isbot';

/** What the collector learns from a user agent; stored under `context.device` and `context.is_bot`. */
export interface DeviceInfo {
  type: 'desktop' | 'mobile' | 'tablet' | 'tv' | 'bot' | 'unknown';
  os?: string;
  os_version?: string;
  browser?: string;
  browser_version?: string;
}

export interface UserAgentInfo {
  device: DeviceInfo;
  is_bot: boolean;
}

const DEVICE_TYPES = new Set(['desktop', 'mobile', 'tablet', 'tv', 'bot']);
/** A batch usually repeats one user agent; a small bounded cache skips re-parsing it. */
const CACHE_SIZE = 1000;

/**
 * Device type, OS and browser from a user agent (bowser), with bots flagged by isbot's list,
 * which also catches crawlers that bowser reports as ordinary browsers.
 */
export function createParseUserAgentStep() {
  const cache = new Map<string, UserAgentInfo>();
  return (userAgent: string | undefined): UserAgentInfo => {
    if (!userAgent) return { device: { type: 'unknown' }, is_bot: false };
    const cached = cache.get(userAgent);
    if (cached) return cached;
    const info = parse(userAgent);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(userAgent, info);
    return info;
  };
}

function parse(userAgent: string): UserAgentInfo {
  const bot = isbot(userAgent);
  let parsed: Bowser.Parser.ParsedResult | undefined;
  try {
    parsed = Bowser.parse(userAgent);
  } catch {
    // bowser throws on some malformed strings; the event keeps an unknown device.
  }
  const platform = parsed?.platform.type ?? '';
  const device: DeviceInfo = {
    type: bot ? 'bot' : DEVICE_TYPES.has(platform) ? (platform as DeviceInfo['type']) : 'unknown',
    ...(parsed?.os.name && { os: parsed.os.name }),
    ...(parsed?.os.version && { os_version: parsed.os.version }),
    ...(parsed?.browser.name && { browser: parsed.browser.name }),
    ...(parsed?.browser.version && { browser_version: parsed.browser.version }),
  };
  return { device, is_bot: bot || platform === 'bot' };
}

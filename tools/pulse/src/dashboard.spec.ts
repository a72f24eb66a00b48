import { describe, expect, it } from 'vitest';
import { dashboardUrl } from './dashboard';

describe(dashboardUrl.name, () => {
  const settings = { API_PORT: 3000 };

  it('should carry the one-machine key, so the printed link opens the dashboard at once', () => {
    expect(dashboardUrl(settings, {})).toBe('http://127.0.0.1:3000/dashboard#key=pulse-dev-api-key');
    expect(dashboardUrl(settings, { API_KEYS: 'other-key-123, pulse-dev-api-key' })).toBe(
      'http://127.0.0.1:3000/dashboard#key=pulse-dev-api-key',
    );
  });

  it('should never print a key of API_KEYS: those are secrets', () => {
    const url = dashboardUrl({ API_PORT: 3100 }, { API_KEYS: 'a-real-secret-key' });

    expect(url).toBe('http://127.0.0.1:3100/dashboard (with a key of API_KEYS)');
    expect(url).not.toContain('a-real-secret-key');
  });
});

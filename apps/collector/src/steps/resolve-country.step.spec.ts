import { describe, expect, it } from 'vitest';
import { createResolveCountryStep } from './resolve-country.step';

describe(createResolveCountryStep.name, () => {
  const sut = createResolveCountryStep(['CF-IPCountry', 'x-country']);

  it('should take the first configured header holding a country code, upper-cased', () => {
    expect(sut({ 'cf-ipcountry': 'de' })).toBe('DE');
    expect(sut({ 'x-country': 'FR' })).toBe('FR');
    expect(sut({ 'cf-ipcountry': 'GB', 'x-country': 'FR' })).toBe('GB');
    expect(sut({ 'cf-ipcountry': 'XX', 'x-country': 'FR' })).toBe('FR');
  });

  it('should give undefined for unknown, Tor or malformed values', () => {
    expect(sut({})).toBeUndefined();
    expect(sut({ 'cf-ipcountry': 'T1' })).toBeUndefined();
    expect(sut({ 'cf-ipcountry': 'Germany' })).toBeUndefined();
    expect(sut({ 'x-forwarded-for': 'DE' })).toBeUndefined();
  });
});

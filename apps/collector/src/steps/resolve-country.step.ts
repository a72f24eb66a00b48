/**
 * The client's country from a header set by the edge (Cloudflare's cf-ipcountry, or x-country
 * from another proxy): the first named header holding an ISO 3166-1 alpha-2 code wins. The
 * collector does no geo lookup of its own; 'XX' and 'T1' (unknown, Tor) give undefined.
 */
export function createResolveCountryStep(headerNames: string[]) {
  const names = headerNames.map((name) => name.toLowerCase());
  return (headers: Record<string, string | string[] | undefined>): string | undefined => {
    for (const name of names) {
      const raw = headers[name];
      const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toUpperCase();
      if (value && /^[A-Z]{2}$/.test(value) && value !== 'XX' && value !== 'T1') return value;
    }
    return undefined;
  };
}

import { ipv6Groups, normalizeIp } from '../client-address';

/**
 * Coarsens a client address before it is stored: IPv4 keeps its /24 (last octet zeroed), IPv6 its
 * /48. IPv4-mapped IPv6 (::ffff:a.b.c.d, as Node reports IPv4 clients on dual-stack sockets) is
 * treated as IPv4. Anything that is not an address gives undefined.
 */
export function createAnonymizeIpStep() {
  return (address: string | undefined): string | undefined => {
    const parsed = normalizeIp(address);
    if (!parsed) return undefined;
    if (parsed.family === 'ipv4') return parsed.ip.replace(/\.\d+$/, '.0');
    return `${ipv6Groups(parsed.ip)
      .slice(0, 3)
      .map((g) => g.toString(16))
      .join(':')}::`;
  };
}

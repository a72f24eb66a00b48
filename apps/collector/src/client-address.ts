import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * An address as the collector compares it: IPv4-mapped IPv6 (::ffff:a.b.c.d, as Node reports IPv4
 * clients on dual-stack sockets) becomes IPv4, an IPv6 zone (%eth0) is dropped. Undefined when
 * the text is not an address.
 */
export function normalizeIp(address: string | undefined): { ip: string; family: 'ipv4' | 'ipv6' } | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address.split('%')[0];
  if (isIPv4(ip)) return { ip, family: 'ipv4' };
  if (isIPv6(ip)) return { ip, family: 'ipv6' };
  return undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail counts as two). */
export function ipv6Groups(ip: string): number[] {
  const [head, tail] = ip.split('%')[0].split('::');
  const parse = (part: string | undefined): number[] =>
    (part ? part.split(':') : []).flatMap((group) => {
      if (!group.includes('.')) return [parseInt(group, 16) || 0];
      const [a, b, c, d] = group.split('.').map(Number);
      return [(a << 8) | b, (c << 8) | d];
    });
  const headGroups = parse(head);
  if (tail === undefined) return headGroups;
  const tailGroups = parse(tail);
  return [
    ...headGroups,
    ...Array<number>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill(0),
    ...tailGroups,
  ];
}

/**
 * Decides whether a peer is one of TRUSTED_PROXIES (addresses and CIDRs; none trusts nobody).
 * Given to Fastify as `trustProxy`, so X-Forwarded-For is believed only from these peers, and used
 * for the country headers, which only such a proxy may set.
 */
export function createProxyTrust(trusted: readonly string[]): (address: string | undefined) => boolean {
  if (trusted.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of trusted) {
    const [address, prefix] = entry.split('/');
    const parsed = normalizeIp(address);
    if (!parsed) throw new Error(`not an address or CIDR: ${entry}`);
    if (prefix === undefined) list.addAddress(parsed.ip, parsed.family);
    else list.addSubnet(parsed.ip, Number(prefix), parsed.family);
  }
  return (address) => {
    const parsed = normalizeIp(address);
    return parsed !== undefined && list.check(parsed.ip, parsed.family);
  };
}

/**
 * The rate-limit bucket of a client address: an IPv4 address on its own, an IPv6 address by its
 * /64 prefix (one subscriber usually holds a whole /64, so rotating within it must not earn new
 * buckets). Anything else is bucketed by its text.
 */
export function rateLimitNameOf(address: string | undefined): string {
  const parsed = normalizeIp(address);
  if (!parsed) return address ?? '';
  if (parsed.family === 'ipv4') return parsed.ip;
  return `${ipv6Groups(parsed.ip)
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

import { isIPv4, isIPv6 } from 'node:net';

/**
 * Coarsens a client address before it is stored: IPv4 keeps its /24 (last octet zeroed), IPv6 its
 * /48. IPv4-mapped IPv6 (::ffff:a.b.c.d, as Node reports IPv4 clients on dual-stack sockets) is
 * treated as IPv4. Anything that is not an address gives undefined.
 */
export function createAnonymizeIpStep() {
  return (address: string | undefined): string | undefined => {
    if (!address) return undefined;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const ip = mapped ? mapped[1] : address;
    if (isIPv4(ip)) return ip.replace(/\.\d+$/, '.0');
    if (!isIPv6(ip)) return undefined;
    return `${expandIpv6(ip).slice(0, 3).join(':')}::`;
  };
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function expandIpv6(ip: string): string[] {
  const withoutZone = ip.split('%')[0];
  const [head, tail] = withoutZone.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail !== undefined && tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups; only the first three groups are kept anyway.
  const fill = Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...fill, ...tailGroups];
  return groups.map((g) => (g.includes('.') ? g : (parseInt(g, 16) || 0).toString(16)));
}

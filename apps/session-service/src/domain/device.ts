import { isIPv4, isIPv6 } from 'node:net';
import type { DeviceAddressStorage } from '@session/config';
import { BadRequestError } from './errors';

/** Where a session is used, as the gateway saw it; stored with the session. */
export interface Device {
  readonly userAgent: string;
  /** As DEVICE_ADDRESS_STORAGE says: truncated (IPv4 /24, IPv6 /48), whole, or '' (none). */
  readonly clientAddress: string;
}

/** Enough for every real browser's user agent; a longer one is cut, not refused (it is display text). */
export const USER_AGENT_MAX_CHARS = 512;

/**
 * The device to store from what the caller sent: the user agent without control characters, cut to
 * USER_AGENT_MAX_CHARS code points; the address checked to be an IP literal, then kept as the
 * setting says. Null when nothing was sent. A malformed address is the caller's error, refused
 * before anything is written.
 */
export function deviceToStore(input: { userAgent: string; clientAddress: string } | null, storage: DeviceAddressStorage): Device | null {
  if (!input) return null;
  const userAgent = [...input.userAgent.replace(/\p{Cc}/gu, '')].slice(0, USER_AGENT_MAX_CHARS).join('');
  const clientAddress = storedAddress(input.clientAddress.trim(), storage);
  if (userAgent === '' && clientAddress === '') return null;
  return { userAgent, clientAddress };
}

function storedAddress(raw: string, storage: DeviceAddressStorage): string {
  if (raw === '') return '';
  // A zone (fe80::1%eth0) names an interface of the gateway's host: nothing to keep.
  const address = raw.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1] : address;
  if (!isIPv4(ip) && !isIPv6(ip)) throw new BadRequestError('device.client_address must be an IPv4 or IPv6 address');
  switch (storage) {
    case 'none':
      return '';
    case 'full':
      return ip;
    case 'truncated':
      return isIPv4(ip) ? truncateIPv4(ip) : truncateIPv6(ip);
  }
}

/** a.b.c.d -> a.b.c.0 (/24). */
function truncateIPv4(ip: string): string {
  return `${ip.split('.').slice(0, 3).join('.')}.0`;
}

/** The first three groups (/48) and zeros after them, in compressed form: 2001:db8:1234::. */
function truncateIPv6(ip: string): string {
  const groups = expandIPv6(ip)
    .slice(0, 3)
    .map((g) => g.replace(/^0+(?=.)/, ''));
  return `${groups.join(':')}::`;
}

/** The eight 16-bit groups of an IPv6 literal (already checked by isIPv6), with an IPv4 tail turned into two groups. */
function expandIPv6(ip: string): string[] {
  let text = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  if (tail === undefined) return left;
  const right = tail ? tail.split(':') : [];
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

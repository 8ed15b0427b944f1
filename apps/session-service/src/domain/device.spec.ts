import { deviceToStore, USER_AGENT_MAX_CHARS } from './device';
import { BadRequestError } from './errors';

const ua = 'Mozilla/5.0';
const stored = (clientAddress: string, storage: 'truncated' | 'full' | 'none' = 'truncated') =>
  deviceToStore({ userAgent: ua, clientAddress }, storage)?.clientAddress;

describe('deviceToStore', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['::ffff:203.0.113.77', '203.0.113.0'],
    ['2001:db8:1234:5678::9', '2001:db8:1234::'],
    ['2001:0db8:0000:5678:0:0:0:9', '2001:db8:0::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
    ['::1', '0:0:0::'],
    ['64:ff9b::203.0.113.7', '64:ff9b:0::'],
    // An IPv4 tail is two groups: it decides how many zeros "::" stands for.
    ['::2:3:4:5:6:203.0.113.7', '0:2:3::'],
    ['', ''],
  ])('truncates %s to %s (IPv4 /24, IPv6 /48)', (address, expected) => {
    expect(stored(address)).toBe(expected);
  });

  it('keeps the whole address with full, none with none', () => {
    expect(stored('2001:db8::9', 'full')).toBe('2001:db8::9');
    expect(stored('203.0.113.77', 'none')).toBe('');
  });

  it('refuses an address that is not an IP literal, whatever the setting', () => {
    for (const storage of ['truncated', 'full', 'none'] as const) {
      expect(() => stored('evil.example', storage)).toThrow(BadRequestError);
      expect(() => stored('1.2.3.4:80', storage)).toThrow(BadRequestError);
    }
  });

  it('drops control characters from the user agent and cuts it by code points; nothing given is no device', () => {
    const device = deviceToStore({ userAgent: `a\u0000b\n${'😀'.repeat(600)}`, clientAddress: '' }, 'full');
    expect(device!.userAgent.startsWith('ab😀')).toBe(true);
    expect([...device!.userAgent]).toHaveLength(USER_AGENT_MAX_CHARS);
    expect(deviceToStore(null, 'full')).toBeNull();
    expect(deviceToStore({ userAgent: '', clientAddress: '' }, 'full')).toBeNull();
  });

  it.each([
    ['::FFFF:203.0.113.77', '203.0.113.77'],
    ['::ffff:203.0.113.77', '203.0.113.77'],
    ['1::ffff:203.0.113.7', '1::ffff:203.0.113.7'],
    [' 203.0.113.77\t', '203.0.113.77'],
    ['fe80::1%eth0', 'fe80::1'],
  ])('keeps %j whole as %j: an IPv4-mapped address as IPv4, without a zone or blanks around it', (address, expected) => {
    expect(stored(address, 'full')).toBe(expected);
  });

  it('truncates upper-case IPv6 to lower case', () => {
    expect(stored('2001:DB8:ABCD:12::1')).toBe('2001:db8:abcd::');
  });

  it('refuses a mapped address with anything after its IPv4 part', () => {
    expect(() => stored('::ffff:203.0.113.7x', 'full')).toThrow(
      new BadRequestError('device.client_address must be an IPv4 or IPv6 address'),
    );
  });

  it('stores a device with only a user agent or only an address, and none when the setting leaves neither', () => {
    expect(deviceToStore({ userAgent: '', clientAddress: '203.0.113.5' }, 'truncated')).toEqual({
      userAgent: '',
      clientAddress: '203.0.113.0',
    });
    expect(deviceToStore({ userAgent: 'UA', clientAddress: '' }, 'truncated')).toEqual({ userAgent: 'UA', clientAddress: '' });
    expect(deviceToStore({ userAgent: '\u0007', clientAddress: '203.0.113.5' }, 'none')).toBeNull();
  });
});

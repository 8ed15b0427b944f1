import { isOriginAllowed, isStateChanging, normalizeOrigin, type OriginFacts } from './origin-check';

const base: OriginFacts = {
  origin: undefined,
  secFetchSite: undefined,
  ownOrigin: 'http://127.0.0.1:3000',
  allowedOrigins: ['http://localhost:5173'],
};

describe('isStateChanging', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'post'])('%s changes state', (m) => expect(isStateChanging(m)).toBe(true));
  it.each(['GET', 'HEAD', 'OPTIONS'])('%s does not', (m) => expect(isStateChanging(m)).toBe(false));
});

describe('isOriginAllowed', () => {
  it("allows the gateway's own origin and the configured ones, case-insensitively", () => {
    expect(isOriginAllowed({ ...base, origin: 'http://127.0.0.1:3000', secFetchSite: 'same-origin' })).toBe(true);
    expect(isOriginAllowed({ ...base, origin: 'HTTP://LOCALHOST:5173' })).toBe(true);
  });

  it('compares origins with default ports dropped', () => {
    expect(isOriginAllowed({ ...base, ownOrigin: 'http://app.example:80', origin: 'http://app.example' })).toBe(true);
    expect(isOriginAllowed({ ...base, ownOrigin: 'https://app.example', origin: 'https://app.example:443' })).toBe(true);
    expect(isOriginAllowed({ ...base, ownOrigin: 'https://app.example', origin: 'http://app.example' })).toBe(false);
    expect(normalizeOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(normalizeOrigin('not a url')).toBeNull();
  });

  it('refuses any other origin, including "null"', () => {
    expect(isOriginAllowed({ ...base, origin: 'https://evil.example' })).toBe(false);
    expect(isOriginAllowed({ ...base, origin: 'http://127.0.0.1:3001' })).toBe(false);
    expect(isOriginAllowed({ ...base, origin: 'null' })).toBe(false);
    expect(isOriginAllowed({ ...base, origin: 'file:///etc/passwd' })).toBe(false);
  });

  it('refuses a cross-site fetch even without Origin', () => {
    expect(isOriginAllowed({ ...base, secFetchSite: 'cross-site' })).toBe(false);
    expect(isOriginAllowed({ ...base, origin: 'http://127.0.0.1:3000', secFetchSite: 'Cross-Site' })).toBe(false);
  });

  it('lets a request without browser headers through (a cookie cannot be forged by a non-browser client)', () => {
    expect(isOriginAllowed(base)).toBe(true);
    expect(isOriginAllowed({ ...base, secFetchSite: 'none' })).toBe(true);
  });
});

import { createHmac } from 'node:crypto';
import { expressSessionId } from './seed-sessions';

/** What express-session sends: cookie-signature's `s:<sid>.<HMAC-SHA256 base64, unpadded>`, URL-encoded. */
const signedCookie = (sid: string, secret: string) => {
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `connect.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
};

describe('expressSessionId', () => {
  it.each(['f3Jx-0_q9LkZ2bWm7YtR4nHcVdE8aSuP', 'a', 'dots-never-appear_in-base64url'])(
    'reads the id %s back from a signed cookie',
    (sid) => {
      for (const secret of ['one', 'two', 'three']) expect(expressSessionId(signedCookie(sid, secret))).toBe(sid);
    },
  );

  it('takes the id up to the last dot, whatever the URL-encoded signature holds', () => {
    expect(expressSessionId('connect.sid=s%3Aabc123.x%2By%2Fz')).toBe('abc123');
  });

  it('refuses a cookie that is not signed or has no signature', () => {
    expect(() => expressSessionId('connect.sid=abc123.sig')).toThrow(/not a signed express-session cookie/);
    expect(() => expressSessionId('connect.sid=s%3Aabc123')).toThrow(/not a signed/);
    expect(() => expressSessionId('connect.sid=s%3A.sig')).toThrow(/not a signed/);
  });
});

import { BadRequestError } from './errors';
import { decodePageToken, encodePageToken } from './page-token';

const ID = '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a';

describe('page tokens', () => {
  it('carry the creation time and id of the last listed session, URL-safe', () => {
    const cursor = { createdAt: new Date('2030-01-02T03:04:05.678Z'), sessionId: ID };
    const token = encodePageToken(cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['plain text', 'next'],
    ['another version', Buffer.from(`c0:1:${ID}`).toString('base64url')],
    ['no id', Buffer.from('c1:1:').toString('base64url')],
    ['an id that is no UUID v4', Buffer.from('c1:1:0b6f7b4e-93c5-1c8e-9d4f-2a6c1f0e8b7a').toString('base64url')],
    ['a time of 16 digits', Buffer.from(`c1:1000000000000000:${ID}`).toString('base64url')],
    ['trailing bytes', Buffer.from(`c1:1:${ID}x`).toString('base64url')],
  ])('refuse %s as INVALID_ARGUMENT', (_name, token) => {
    expect(() => decodePageToken(token)).toThrow(BadRequestError);
  });

  it('keep a creation time of up to 15 digits exactly', () => {
    const cursor = { createdAt: new Date(999_999_999_999_999), sessionId: ID };
    expect(decodePageToken(encodePageToken(cursor))).toEqual(cursor);
    expect(decodePageToken(Buffer.from(`c1:0:${ID}`).toString('base64url')).createdAt.getTime()).toBe(0);
  });

  it('refuse a genuine token with any character around it that base64url decoding would skip', () => {
    const token = encodePageToken({ createdAt: new Date(1), sessionId: ID });
    for (const forged of [`${token}=`, `!${token}`, `${token}.`, ` ${token}`]) {
      expect(() => decodePageToken(forged)).toThrow(
        new BadRequestError('page_token is malformed; pass the next_page_token of the previous page'),
      );
    }
    expect(() => decodePageToken(Buffer.from(`c1::${ID}`).toString('base64url'))).toThrow(BadRequestError);
  });
});

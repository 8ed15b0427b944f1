import { dateToTimestamp, jsonToStruct, type Session__Output } from '@session/proto';
import { toSessionDto } from './session-dto';

const ts = (iso: string) => dateToTimestamp(new Date(iso)) as never;

const session = (overrides: Partial<Session__Output> = {}): Session__Output => ({
  session_id: '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
  user_id: '',
  user_data: jsonToStruct({ theme: 'dark', n: 2 }) as never,
  version: '3',
  created_at: ts('2026-01-01T00:00:00.000Z'),
  updated_at: ts('2026-01-02T00:00:00.000Z'),
  last_seen_at: ts('2026-01-03T00:00:00.000Z'),
  idle_expires_at: ts('2026-01-10T00:00:00.000Z'),
  absolute_expires_at: ts('2026-01-31T00:00:00.000Z'),
  revoked_at: null,
  claims: null,
  authenticated_at: null,
  authentication_method: '',
  device: null,
  remember_me: false,
  ...overrides,
});

describe('toSessionDto', () => {
  it('maps the proto session to the REST shape', () => {
    expect(toSessionDto(session())).toEqual({
      session_id: '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
      user_id: null,
      user_data: { theme: 'dark', n: 2 },
      version: 3,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-02T00:00:00.000Z',
      last_seen_at: '2026-01-03T00:00:00.000Z',
      idle_expires_at: '2026-01-10T00:00:00.000Z',
      absolute_expires_at: '2026-01-31T00:00:00.000Z',
      expires_at: '2026-01-10T00:00:00.000Z',
      revoked_at: null,
      claims: {},
      authenticated_at: null,
      authentication_method: '',
      remember_me: false,
      device: null,
    });
  });

  it('shows the sign-in fields: claims, when and how the user signed in, remember me and the device', () => {
    const dto = toSessionDto(
      session({
        user_id: 'user-7',
        claims: jsonToStruct({ roles: ['admin'] }) as never,
        authenticated_at: ts('2026-01-04T00:00:00.000Z'),
        authentication_method: 'password',
        remember_me: true,
        device: { user_agent: 'Firefox/130', client_address: '203.0.113.0' },
      }),
    );
    expect(dto).toMatchObject({
      claims: { roles: ['admin'] },
      authenticated_at: '2026-01-04T00:00:00.000Z',
      authentication_method: 'password',
      remember_me: true,
      device: { user_agent: 'Firefox/130', client_address: '203.0.113.0' },
    });
  });

  it('takes the absolute expiry when it comes first, and keeps user and revocation', () => {
    const dto = toSessionDto(
      session({ user_id: 'user-7', idle_expires_at: ts('2026-02-10T00:00:00.000Z'), revoked_at: ts('2026-01-05T00:00:00.000Z') }),
    );
    expect(dto.expires_at).toBe('2026-01-31T00:00:00.000Z');
    expect(dto.user_id).toBe('user-7');
    expect(dto.revoked_at).toBe('2026-01-05T00:00:00.000Z');
  });

  it('copes with missing times and refuses a missing session', () => {
    const dto = toSessionDto(session({ idle_expires_at: null, created_at: null }));
    expect(dto.expires_at).toBe('2026-01-31T00:00:00.000Z');
    expect(dto.created_at).toBe('1970-01-01T00:00:00.000Z');
    expect(() => toSessionDto(null)).toThrow(/without a session/);
  });
});

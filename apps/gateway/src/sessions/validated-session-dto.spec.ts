import type { ValidatedSession } from '@session/session-client';
import { validatedSessionDto } from './validated-session-dto';

const base: ValidatedSession = {
  sessionId: '0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a',
  userId: '',
  version: '2',
  userData: { theme: 'dark' },
  createdAt: Date.parse('2026-01-01T00:00:00.000Z'),
  updatedAt: Date.parse('2026-01-02T00:00:00.000Z'),
  lastSeenAt: Date.parse('2026-01-03T00:00:00.000Z'),
  idleExpiresAt: Date.parse('2026-01-10T00:00:00.000Z'),
  absoluteExpiresAt: Date.parse('2026-01-31T00:00:00.000Z'),
};

describe('validatedSessionDto', () => {
  it('shows a session cached without the sign-in fields as anonymous: no claims, no sign-in, no device', () => {
    expect(validatedSessionDto(base)).toMatchObject({
      user_id: null,
      expires_at: '2026-01-10T00:00:00.000Z',
      claims: {},
      authenticated_at: null,
      authentication_method: '',
      remember_me: false,
      device: null,
    });
  });

  it('shows the sign-in fields of a signed-in session in the REST shape', () => {
    const dto = validatedSessionDto({
      ...base,
      userId: 'user-7',
      claims: { roles: ['user'] },
      authenticatedAt: Date.parse('2026-01-04T00:00:00.000Z'),
      authenticationMethod: 'password',
      rememberMe: true,
      device: { userAgent: 'Firefox/130', clientAddress: '203.0.113.0' },
    });
    expect(dto).toMatchObject({
      user_id: 'user-7',
      claims: { roles: ['user'] },
      authenticated_at: '2026-01-04T00:00:00.000Z',
      authentication_method: 'password',
      remember_me: true,
      device: { user_agent: 'Firefox/130', client_address: '203.0.113.0' },
    });
  });
});

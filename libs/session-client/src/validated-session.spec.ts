import { dateToTimestamp, jsonToStruct, loadSessionPackage, type Session, type Session__Output } from '@session/proto';
import { EMPTY_JSON, fromProtoSession } from './validated-session';

/** A session as grpc-js hands it over: encoded as the service sends it, decoded by the real deserializer. */
function offTheWire(overrides: Partial<Session> = {}): Session__Output {
  const at = dateToTimestamp(new Date(Date.UTC(2026, 0, 1)));
  const method = loadSessionPackage().packageDefinition['session.v1.SessionService'] as Record<string, unknown>;
  const codec = method.ValidateSession as {
    responseSerialize(v: object): Buffer;
    responseDeserialize(b: Buffer): { session: Session__Output };
  };
  const session: Session = {
    session_id: '6f1c2d3e-4a5b-4c6d-8e7f-001122334455',
    user_id: '',
    version: '3',
    created_at: at,
    updated_at: at,
    last_seen_at: at,
    idle_expires_at: at,
    absolute_expires_at: at,
    authentication_method: '',
    remember_me: false,
    ...overrides,
  };
  return codec.responseDeserialize(codec.responseSerialize({ session })).session;
}

describe('fromProtoSession (the near cache keeps up to 100,000 of its results)', () => {
  it('gives every session without user_data or claims the one shared, frozen empty object', () => {
    const a = fromProtoSession(offTheWire({ user_data: jsonToStruct({}), claims: jsonToStruct({}) }));
    const b = fromProtoSession(offTheWire({ user_data: null, claims: null }));
    for (const value of [a.userData, a.claims, b.userData, b.claims]) expect(value).toBe(EMPTY_JSON);
    expect(Object.isFrozen(EMPTY_JSON)).toBe(true);
    expect(Object.keys(EMPTY_JSON)).toEqual([]);
  });

  it('keeps user_data and claims that have fields, as plain JSON of their own', () => {
    const session = fromProtoSession(
      offTheWire({ user_data: jsonToStruct({ theme: 'dark', sidebar: { width: 280 } }), claims: jsonToStruct({ roles: ['admin'] }) }),
    );
    expect(session.userData).toEqual({ theme: 'dark', sidebar: { width: 280 } });
    expect(session.claims).toEqual({ roles: ['admin'] });
    expect(session.userData).not.toBe(EMPTY_JSON);
  });

  it('drops a device that says nothing (both fields empty) and keeps one that says anything', () => {
    expect(fromProtoSession(offTheWire({ device: { user_agent: '', client_address: '' } })).device).toBeNull();
    expect(fromProtoSession(offTheWire({ device: null })).device).toBeNull();
    expect(fromProtoSession(offTheWire({ device: { user_agent: '', client_address: '203.0.113.7' } })).device).toEqual({
      userAgent: '',
      clientAddress: '203.0.113.7',
    });
    expect(fromProtoSession(offTheWire({ device: { user_agent: 'curl/8', client_address: '' } })).device).toEqual({
      userAgent: 'curl/8',
      clientAddress: '',
    });
  });

  it('maps the times to epoch milliseconds and leaves an unset authentication time at 0', () => {
    const session = fromProtoSession(offTheWire({ authenticated_at: null }));
    expect(session.createdAt).toBe(Date.UTC(2026, 0, 1));
    expect(session.authenticatedAt).toBe(0);
    expect(session.version).toBe('3');
  });
});

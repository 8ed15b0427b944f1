import type { SessionDto } from '@session/rest-contract';
import { expiryWarning, warningWindowMs } from './expiry-warning';

const MIN = 60_000;
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms).toISOString();

function session(idleTtl: number, absoluteIn: number): SessionDto {
  return {
    session_id: 'a6c1f0d2-0000-4000-8000-000000000001',
    user_id: null,
    user_data: {},
    version: 1,
    created_at: at(0),
    updated_at: at(0),
    last_seen_at: at(0),
    idle_expires_at: at(idleTtl),
    absolute_expires_at: at(absoluteIn),
    expires_at: at(Math.min(idleTtl, absoluteIn)),
    revoked_at: null,
    claims: {},
    authenticated_at: null,
    authentication_method: '',
    remember_me: false,
    device: null,
  };
}

describe('expiry warning', () => {
  it('warns five minutes ahead, or at half a short idle timeout', () => {
    expect(warningWindowMs(session(7 * 24 * 60 * MIN, 30 * 24 * 60 * MIN))).toBe(5 * MIN);
    expect(warningWindowMs(session(10_000, 60 * MIN))).toBe(5_000);
  });

  it('tells idle expiry (activity helps) from the absolute limit (it does not)', () => {
    expect(expiryWarning(session(60 * MIN, 120 * MIN), 6 * MIN)).toEqual({ kind: 'none' });
    expect(expiryWarning(session(60 * MIN, 120 * MIN), 4 * MIN)).toEqual({ kind: 'idle' });
    expect(expiryWarning(session(60 * MIN, 30 * MIN), 4 * MIN)).toEqual({ kind: 'absolute' });
  });
});

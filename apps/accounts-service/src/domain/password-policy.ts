import { AccountsError } from './errors';

/** NIST SP 800-63B-4: at least 15 characters for a single-factor password; we accept up to 128. */
export const PASSWORD_MIN_CODE_POINTS = 15;
export const PASSWORD_MAX_CODE_POINTS = 128;
// Control characters are the only ones refused: every printable character and space is allowed.
const CONTROL = /\p{Cc}/u;

/**
 * The password as it is hashed: NFKC-normalized (the same password typed on another keyboard or
 * pasted from elsewhere hashes the same), then counted in code points, not UTF-16 units, so an
 * emoji counts as one character. No composition rules.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Checks a new password; throws invalid_password naming the rule it breaks. */
export function acceptNewPassword(password: string): string {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_CODE_POINTS)
    throw new AccountsError('invalid_password', { message: `password must be at least ${PASSWORD_MIN_CODE_POINTS} characters` });
  if (length > PASSWORD_MAX_CODE_POINTS)
    throw new AccountsError('invalid_password', { message: `password must be at most ${PASSWORD_MAX_CODE_POINTS} characters` });
  if (CONTROL.test(normalized)) throw new AccountsError('invalid_password', { message: 'password must not contain control characters' });
  return normalized;
}

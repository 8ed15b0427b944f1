import { AccountsError } from './errors';

export const EMAIL_MAX_LENGTH = 254;
// One `@`, a non-empty local part without spaces, and a domain with a dot between non-empty labels.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u;

/**
 * The one form an email is stored and looked up in: trimmed, NFC, whole address lower-cased (so
 * `Ann@X.org` and `ann@x.org` are one account, and the unique index sees them as one).
 * Throws invalid_email otherwise.
 */
export function normalizeEmail(input: string): string {
  const email = input.trim().normalize('NFC').toLowerCase();
  if (email.length === 0 || email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) throw new AccountsError('invalid_email');
  return email;
}

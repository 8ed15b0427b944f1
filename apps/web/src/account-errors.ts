import { isSessionApiError, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength } from '@session/react-session';

/** The fields of the account forms an error can belong to. */
export type AccountField = 'email' | 'password' | 'current_password' | 'new_password';

/** What a form shows: a message, tied to the field it is about when there is one (otherwise shown for the whole form). */
export interface FormError {
  field?: AccountField;
  message: string;
}

export const PASSWORD_RULE = `Use ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Spaces and any characters are fine; a few words make a good one.`;

/**
 * Explains a failed account call by its problem+json `code`. `passwordField`
 * is the field an `invalid_password` is about (the new password when
 * changing it).
 */
export function accountErrorFor(error: unknown, passwordField: AccountField = 'password'): FormError {
  const code = isSessionApiError(error) ? error.code : 'internal';
  switch (code) {
    case 'invalid_credentials':
      return passwordField === 'new_password'
        ? { field: 'current_password', message: 'That is not your current password.' }
        : { message: 'That email and password don’t match an account. Check them and try again.' };
    case 'account_exists':
      return { field: 'email', message: 'An account with this email already exists. Sign in instead.' };
    case 'invalid_email':
      return { field: 'email', message: 'Enter an email address like name@example.com.' };
    case 'invalid_password':
      return { field: passwordField, message: `That password can’t be used. ${PASSWORD_RULE}` };
    case 'reauthentication_required':
      return {
        message:
          'For your security, changing the password needs a recent sign-in. Sign out, sign in again, and then change it within 10 minutes.',
      };
    case 'rate_limited':
      return { message: 'Too many attempts. Wait a few minutes before trying again.' };
    case 'network_error':
      return { message: 'Could not reach the server. Check your connection and try again.' };
    default:
      return { message: 'Something went wrong on our side. Please try again.' };
  }
}

/** The checks the browser can make before sending; the server checks again. */
export function checkEmail(email: string): FormError | null {
  if (!email.trim()) return { field: 'email', message: 'Enter your email address.' };
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) return { field: 'email', message: 'Enter an email address like name@example.com.' };
  return null;
}

export function checkNewPassword(password: string, field: AccountField): FormError | null {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH)
    return { field, message: `Too short: ${length} of at least ${PASSWORD_MIN_LENGTH} characters. ${PASSWORD_RULE}` };
  if (length > PASSWORD_MAX_LENGTH) return { field, message: `Too long: ${length} of at most ${PASSWORD_MAX_LENGTH} characters.` };
  return null;
}

export function checkPresent(value: string, field: AccountField, message: string): FormError | null {
  return value ? null : { field, message };
}

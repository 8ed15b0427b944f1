/** What the sign-in and sign-up forms hand to the controller (sent as `SignInRequestDto`). */
export interface Credentials {
  email: string;
  password: string;
  /** Keep the cookie across browser restarts; without it the cookie ends with the browser. */
  rememberMe?: boolean;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** Password length per the agreed design (NIST SP 800-63B-4): counted in code points after NFKC. */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;

export function passwordLength(password: string): number {
  return [...password.normalize('NFKC')].length;
}

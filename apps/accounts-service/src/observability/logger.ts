import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs on stdout. The code never hands a password, token or key to the logger; redaction of
 * every field name that could hold one is the second line of defence.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const secrets = ['token', 'session_token', 'password', 'current_password', 'new_password', 'password_hash', 'passwordHash', 'apiKey'];
  return pino(
    {
      level,
      base: { service: 'accounts-service' },
      redact: { paths: [...secrets, ...secrets.map((s) => `*.${s}`)], censor: '[redacted]' },
    },
    destination,
  );
}

export type { Logger };

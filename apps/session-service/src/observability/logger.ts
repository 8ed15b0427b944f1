import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * JSON logs on stdout. Redaction is a second line of defence: the code never
 * passes a token or secret to the logger in the first place.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'session-service' },
      redact: {
        paths: ['token', 'secret', 'secret_hash', 'secretHash', '*.token', '*.secret', '*.secret_hash', '*.secretHash'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export type { Logger };

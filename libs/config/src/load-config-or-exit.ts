import { ConfigError } from './load-env';

/**
 * Start-up helper for every process: parses its configuration once, and on a ConfigError prints
 * the list of bad variables and exits 1 (a stack trace would bury it). Any other error is a bug and
 * propagates.
 */
export function loadConfigOrExit<T>(load: (env: NodeJS.ProcessEnv) => T, env: NodeJS.ProcessEnv = process.env): T {
  try {
    return load(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return process.exit(1);
  }
}

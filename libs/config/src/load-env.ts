import { envSchema } from 'env-schema';

/** Raised with every bad variable listed, so one start shows all the mistakes. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface EnvJsonSchema {
  type: 'object';
  required?: readonly string[];
  properties: Record<string, Record<string, unknown>>;
}

/**
 * Validates `env` against a JSON schema (env-schema + ajv, all errors at
 * once), applying defaults and coercing types. No .env files are read:
 * configuration comes only from the environment.
 */
export function loadEnv<T>(schema: EnvJsonSchema, env: NodeJS.ProcessEnv): T {
  // Only the schema's own variables are looked at: nothing else from the environment leaks in.
  const data: Record<string, string> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') data[key] = value;
  }
  try {
    return envSchema<T>({
      schema: schema as never,
      data,
      env: false,
      dotenv: false,
    });
  } catch (err) {
    const errors = (err as { errors?: { instancePath: string; message?: string; params?: { missingProperty?: string } }[] }).errors;
    const lines = errors?.map((e) => {
      const name = e.params?.missingProperty ?? e.instancePath.replace(/^\//, '');
      return `  ${name}: ${e.message ?? 'invalid'}`;
    }) ?? [`  ${(err as Error).message}`];
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
}

import type { FastifySchemaValidationError } from 'fastify';
import { KEY_RULES, USER_DATA_MAX_DEPTH } from './user-data-schemas';

const RULES = `nesting at most ${USER_DATA_MAX_DEPTH} levels, ${KEY_RULES}, finite numbers, no array directly in an array`;

/** What the error handler reads: a schema failure inside user data answers invalid_user_data, as the service would. */
export interface UserDataSchemaError extends Error {
  problemCode?: 'invalid_user_data';
}

/**
 * A route's schema error formatter for bodies that carry user data at `at` (a JSON pointer into
 * the body; '' when the body is the data, as a merge patch is). Failures inside the data get
 * invalid_user_data and one stable sentence; anything else keeps Fastify's own message.
 */
export function userDataErrorFormatter(at: string) {
  return (errors: FastifySchemaValidationError[], dataVar: string): UserDataSchemaError => {
    const first = errors[0];
    const path = first?.instancePath ?? '';
    const key = errors.map((e) => (e as { propertyName?: string }).propertyName).find((k) => k !== undefined);
    // Inside the data, or a key of its top object; the top itself not being an object stays a plain schema failure.
    const inData = dataVar === 'body' && (path.startsWith(`${at}/`) || (path === at && key !== undefined));
    if (!inData) return new Error(errors.map((e) => `${dataVar}${e.instancePath} ${e.message ?? 'is invalid'}`).join(', '));
    const what = key === undefined ? 'is not valid user data' : `has a key that is not allowed (${JSON.stringify(key)})`;
    return Object.assign(new Error(`${dataVar}${path} ${what}: ${RULES}`), { problemCode: 'invalid_user_data' as const });
  };
}

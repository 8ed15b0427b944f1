import { jsonToStruct } from '@session/proto';
import { etagToVersion, MERGE_PATCH_CONTENT_TYPE, type UserData } from '@session/rest-contract';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ProblemError } from '../../errors/problem-error';
import {
  BODY_FAILURES,
  conditionalWriteHeaders,
  ETAG_HEADER,
  jsonResponse,
  mergePatchBody,
  problemResponses,
  replaceDataBody,
} from '../../schemas/route-schemas';
import { userDataErrorFormatter } from '../../schemas/user-data-errors';
import { assertUserDataFits } from '../../sessions/user-data-guard';
import { writeThroughCache } from '../../sessions/write-through-cache';
import { acceptBody, callOptions, sessionBody, tokenOf } from '../route-context';

/**
 * If-Match -> expected_version. `*` (any current version) sets none; a tag
 * that is not one of ours can never match, so it fails like a stale one.
 */
export function expectedVersion(ifMatch: string | undefined): string | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
  const version = etagToVersion(ifMatch);
  if (version === null) throw new ProblemError(412, 'precondition_failed', 'If-Match does not name a version of this session.');
  return String(version);
}

const WRITE_RESPONSES = {
  200: jsonResponse('The updated session; ETag carries the new version', 'SessionResponse', ETAG_HEADER),
  ...problemResponses(...BODY_FAILURES, 403, 409, 412),
};

/** Changing the current session's user_data: merge patch (PATCH) or replacement (PUT), both with optional If-Match. */
const sessionDataRoutes: FastifyPluginAsync = async (fastify) => {
  const { config } = fastify;

  const write = async (request: FastifyRequest, userData: UserData, mode: 'UPDATE_MODE_MERGE' | 'UPDATE_MODE_REPLACE') => {
    assertUserDataFits(userData, config.userDataMaxBytes);
    const expected = expectedVersion(request.headers['if-match']);
    const token = tokenOf(request);
    const update = { token, user_data: jsonToStruct(userData), mode, ...(expected === undefined ? {} : { expected_version: expected }) };
    return writeThroughCache(
      fastify.sessionCache,
      token,
      async () => (await fastify.sessionApi.updateSessionData(update, callOptions(request))).session,
    );
  };

  fastify.patch<{ Body: UserData; Headers: { 'if-match'?: string } }>(
    '/api/sessions/current/data',
    {
      schema: {
        summary: 'Merge-patch the current session data',
        description:
          'Applies a JSON merge patch (RFC 7396) to user_data. Send the last ETag as If-Match to fail with 412 instead of overwriting a newer version.',
        headers: conditionalWriteHeaders,
        body: mergePatchBody,
        response: WRITE_RESPONSES,
      },
      schemaErrorFormatter: userDataErrorFormatter(''),
      preValidation: acceptBody([MERGE_PATCH_CONTENT_TYPE, 'application/json']),
    },
    async (request, reply) => sessionBody(reply, await write(request, request.body, 'UPDATE_MODE_MERGE')),
  );

  fastify.put<{ Body: { user_data: UserData }; Headers: { 'if-match'?: string } }>(
    '/api/sessions/current/data',
    {
      schema: {
        summary: 'Replace the current session data',
        description:
          'Replaces user_data as a whole. Send the last ETag as If-Match to fail with 412 instead of overwriting a newer version.',
        headers: conditionalWriteHeaders,
        body: replaceDataBody,
        response: WRITE_RESPONSES,
      },
      schemaErrorFormatter: userDataErrorFormatter('/user_data'),
      preValidation: acceptBody(['application/json']),
    },
    async (request, reply) => sessionBody(reply, await write(request, request.body.user_data, 'UPDATE_MODE_REPLACE')),
  );
};

export default sessionDataRoutes;

import type { CallOptions } from '@session/grpc-client';
import type { Session__Output } from '@session/proto';
import { versionToEtag, type SessionDto } from '@session/rest-contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError } from '../errors/problem-error';
import { toSessionDto } from '../sessions/session-dto';

/** Every gRPC call carries the request id, so both services log the same one. */
export const callOptions = (request: FastifyRequest): CallOptions => ({ requestId: request.id });

/** The authenticated token; routes run this after the requireCredential preHandler. */
export function tokenOf(request: FastifyRequest): string {
  if (!request.credential) throw new ProblemError(401, 'unauthenticated', 'This request needs a session token.');
  return request.credential.token;
}

/** `{session}` with the version as ETag, the shape of every single-session answer. */
export function sessionBody(reply: FastifyReply, session: Session__Output | null | undefined): { session: SessionDto } {
  const dto = toSessionDto(session);
  reply.header('etag', versionToEtag(dto.version));
  return { session: dto };
}

const mediaType = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/**
 * preValidation: 415 when a body came in a media type this route does not
 * take (Fastify only knows the parsers, which every body route shares, and
 * validates only the media types a schema lists). A missing body is a 400,
 * or `{}` where `emptyBody` allows it.
 */
export function acceptBody(types: readonly string[], options: { emptyBody?: boolean } = {}) {
  return async (request: FastifyRequest) => {
    if (request.body === undefined) {
      if (!options.emptyBody) throw new ProblemError(400, 'bad_request', `This route needs a ${types.join(' or ')} body.`);
      request.body = {};
      return;
    }
    const type = mediaType(request);
    if (!types.includes(type))
      throw new ProblemError(415, 'unsupported_media_type', `This route takes ${types.join(' or ')}, not ${type}.`);
  };
}

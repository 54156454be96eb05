import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type FieldError, ProblemError } from '../problem.js';

function validationFields(error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'body';
  const fields: FieldError[] = [];
  for (const item of error.validation ?? []) {
    const base = `${context}${(item.instancePath ?? '').replace(/\//g, '.')}`.replace(/\.$/, '');
    const params = item.params as { keys?: string[] } | undefined;
    if (item.keyword === 'unrecognized_keys' && params?.keys) {
      for (const key of params.keys)
        fields.push({ field: `${base}.${key}`, code: 'unknown_field', message: 'Unknown field.' });
    } else {
      fields.push({ field: base, code: item.keyword, message: item.message ?? 'Invalid value.' });
    }
  }
  return fields;
}

/** Maps everything thrown inside Fastify to RFC 9457 problem+json; 5xx never leak internals. */
export function toProblem(error: FastifyError | ProblemError | Error): ProblemError {
  if (error instanceof ProblemError) return error;
  const fe = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    return new ProblemError(400, 'validation_failed', 'Invalid request', {
      detail: 'The request has invalid fields.',
      errors: validationFields(fe),
    });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProblemError(400, 'malformed_json', 'Malformed JSON', {
        detail: 'The request body is not valid JSON.',
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ProblemError(413, 'body_too_large', 'Request too large', { detail: 'The request body is too large.' });
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
      return new ProblemError(413, 'file_too_large', 'File too large', {
        detail: 'The file is larger than the limit.',
        errors: [{ field: 'file', code: 'file_too_large', message: fe.message }],
      });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(415, 'unsupported_media_type', 'Unsupported media type', {
        detail: 'Send the body as application/json.',
      });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.statusCode === 429 ? 'too_many_requests' : 'bad_request';
    return new ProblemError(fe.statusCode, code, 'Bad request', { detail: fe.message });
  }
  return new ProblemError(500, 'internal_error', 'Internal error', {
    detail: 'Something went wrong on our side; nothing was saved. Please try again.',
  });
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: ProblemError) {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type('application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem.toBody(request.url.split('?')[0])));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ProblemError, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, problem);
  });
}

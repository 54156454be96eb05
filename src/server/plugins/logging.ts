import type { FastifyServerOptions } from 'fastify';
import type { AppConfig } from '../../config.js';

/**
 * What the server logs, and what it never logs. Requests are logged as method, path and address only:
 * no headers (cookies, CSRF tokens), no bodies (passwords, passport numbers, medical results), and
 * secrets that travel in URLs (invitation and reset tokens, query parameters) are masked. Every line
 * is one JSON object, so input cannot forge a line: newlines and quotes inside values are escaped.
 */

const REDACTED = '[redacted]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A path segment that looks like a secret: long random base64url or hex (not a UUID, which is an id). */
const SECRET_SEGMENT = /^[A-Za-z0-9_-]{24,}$/;

/** Keeps the path's shape and the query's parameter names; masks secret-looking segments and every query value. */
export function redactUrl(url: string): string {
  const [pathPart = '', query] = url.split('?', 2);
  const segments = pathPart.split('/').map((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      // keep the raw segment
    }
    return SECRET_SEGMENT.test(decoded) && !UUID.test(decoded) ? REDACTED : segment;
  });
  const safePath = segments.join('/');
  if (query === undefined) return safePath;
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=', 1)[0]}=${REDACTED}`);
  return `${safePath}?${names.join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
  socket?: { remoteAddress?: string };
}

export function loggerOptions(config: AppConfig, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    // Defence in depth for objects logged by hand: these keys are masked wherever they appear.
    redact: {
      paths: [
        'password',
        '*.password',
        'newPassword',
        '*.newPassword',
        'token',
        '*.token',
        'passportNumber',
        '*.passportNumber',
        // @fastify/multipart logs the request headers it hands to busboy at trace level.
        'busboyOptions.headers',
        '*.headers.cookie',
        '*.headers["x-csrf-token"]',
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: REDACTED,
    },
    serializers: {
      req(request: LoggedRequest) {
        return {
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip ?? request.socket?.remoteAddress,
        };
      },
    },
  };
}

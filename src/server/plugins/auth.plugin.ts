import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSecureOrigin } from '../../config.js';
import type { AppContext } from '../context.js';
import type { Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import type { Actor } from '../services/audit.service.js';
import { type ResolvedSession, resolveSession } from '../services/session.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: ResolvedSession | null;
    /** Raw cookie value of the session, when the browser sent one. */
    sessionToken: string | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function sessionCookieName(ctx: AppContext): string {
  return isSecureOrigin(ctx.config) ? '__Host-medadmit_session' : 'medadmit_session';
}

export function setSessionCookie(ctx: AppContext, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookieName(ctx), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureOrigin(ctx.config),
    maxAge: ctx.config.sessionAbsoluteHours * 3600,
  });
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(ctx), {
    path: '/',
    secure: isSecureOrigin(ctx.config),
    httpOnly: true,
    sameSite: 'lax',
  });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves the session cookie on every request and guards cookie-authenticated writes:
 * the Origin (when sent) must be ours, and an X-CSRF-Token header must match the session's token.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  const allowedOrigin = new URL(ctx.config.publicUrl).origin;
  app.decorateRequest('auth', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('preHandler', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const token = request.cookies[sessionCookieName(ctx)];
    request.sessionToken = token ?? null;
    request.auth = token ? await resolveSession(ctx, token) : null;
    if (!UNSAFE.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin && origin !== allowedOrigin && origin !== `${request.protocol}://${request.headers.host}`) {
      throw new ProblemError(403, 'bad_origin', 'Cross-site request refused', {
        detail: 'This request came from another site.',
      });
    }
    if (request.auth) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, request.auth.session.csrfToken)) {
        throw new ProblemError(403, 'csrf_failed', 'Missing or wrong CSRF token', {
          detail: 'Reload the page and try again.',
        });
      }
    }
  });
}

export function principalOf(request: FastifyRequest): Principal | null {
  const user = request.auth?.user;
  return user
    ? {
        id: user.id,
        role: user.role,
        universityId: user.universityId,
        agencyId: user.agencyId,
        agencyAdmin: user.agencyAdmin,
      }
    : null;
}

export function requireAuth(request: FastifyRequest): ResolvedSession {
  if (!request.auth) throw problems.unauthenticated();
  return request.auth;
}

export function actorOf(request: FastifyRequest): Actor {
  return { userId: request.auth?.user.id ?? null, ip: request.ip };
}

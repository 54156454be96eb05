import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, clearSessionCookie, requireAuth, setSessionCookie } from '../plugins/auth.plugin.js';
import { presentUser, ZUser } from '../presenters/user.presenter.js';
import {
  login,
  registerApplicant,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  verifyEmail,
} from '../services/auth.service.js';
import { destroySession } from '../services/session.service.js';
import { sha256 } from '../services/tokens.js';
import { problemResponses, ZEmail, ZFullName, ZLocale, ZPassword } from './schemas.js';

const ZSession = z.object({ user: ZUser, csrfToken: z.string() }).meta({ id: 'Session' });
const ZAccepted = z.object({ status: z.literal('accepted') });
const tags = ['auth'];

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/register',
      {
        config: { admission: 'password' },
        schema: {
          tags,
          summary: 'Register an applicant account; a confirmation link is e-mailed',
          body: z.strictObject({
            email: ZEmail,
            password: ZPassword,
            fullName: ZFullName,
            locale: ZLocale.default('en'),
          }),
          response: { 201: ZUser, ...problemResponses(400, 409, 413, 415) },
        },
      },
      async (request, reply) => {
        const user = await registerApplicant(ctx, request.body, actorOf(request));
        return reply.code(201).send(presentUser(user));
      },
    );

    app.post(
      '/verify-email',
      {
        schema: {
          tags,
          summary: 'Confirm an e-mail address with the token from the link',
          body: z.strictObject({ token: z.string().min(1).max(200) }),
          response: { 200: ZUser, ...problemResponses(400) },
        },
      },
      async (request) => presentUser(await verifyEmail(ctx, request.body.token, actorOf(request))),
    );

    app.post(
      '/resend-verification',
      {
        schema: {
          tags,
          summary: 'Send the confirmation link again (same answer whether or not the account exists)',
          body: z.strictObject({ email: ZEmail }),
          response: { 202: ZAccepted, ...problemResponses(400) },
        },
      },
      async (request, reply) => {
        await resendVerification(ctx, request.body.email);
        return reply.code(202).send({ status: 'accepted' as const });
      },
    );

    app.post(
      '/login',
      {
        config: { admission: 'password' },
        schema: {
          tags,
          summary: 'Sign in; sets the session cookie and returns the CSRF token for later writes',
          body: z.strictObject({ email: ZEmail, password: ZPassword }),
          response: { 200: ZSession, ...problemResponses(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        const result = await login(ctx, {
          email: request.body.email,
          password: request.body.password,
          ip: request.ip,
          ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
          ...(request.sessionToken ? { previousSessionId: sha256(request.sessionToken) } : {}),
        });
        setSessionCookie(ctx, reply, result.token);
        return { user: presentUser(result.user), csrfToken: result.session.csrfToken };
      },
    );

    app.post(
      '/logout',
      {
        schema: {
          tags,
          summary: 'End the current session',
          response: { 204: z.null(), ...problemResponses(401, 403) },
        },
      },
      async (request, reply) => {
        const { session } = requireAuth(request);
        await destroySession(ctx, session.id);
        clearSessionCookie(ctx, reply);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/session',
      {
        schema: {
          tags,
          summary: 'The signed-in user and CSRF token, or 401',
          response: { 200: ZSession, ...problemResponses(401) },
        },
      },
      async (request) => {
        const { user, session } = requireAuth(request);
        return { user: presentUser(user), csrfToken: session.csrfToken };
      },
    );

    app.post(
      '/password-reset/request',
      {
        schema: {
          tags,
          summary: 'E-mail a password reset link (same answer whether or not the account exists)',
          body: z.strictObject({ email: ZEmail }),
          response: { 202: ZAccepted, ...problemResponses(400) },
        },
      },
      async (request, reply) => {
        await requestPasswordReset(ctx, request.body.email);
        return reply.code(202).send({ status: 'accepted' as const });
      },
    );

    app.post(
      '/password-reset/confirm',
      {
        config: { admission: 'password' },
        schema: {
          tags,
          summary: 'Set a new password with the token from the link; ends every session of the account',
          body: z.strictObject({ token: z.string().min(1).max(200), password: ZPassword }),
          response: { 204: z.null(), ...problemResponses(400) },
        },
      },
      async (request, reply) => {
        await resetPassword(ctx, request.body.token, request.body.password, actorOf(request));
        return reply.code(204).send(null);
      },
    );
  };
}

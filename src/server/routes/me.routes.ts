import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actorOf, requireAuth } from '../plugins/auth.plugin.js';
import { presentUser, ZUser } from '../presenters/user.presenter.js';
import { changePassword } from '../services/auth.service.js';
import { updateProfile } from '../services/user.service.js';
import { problemResponses, ZFullName, ZLocale, ZPassword } from './schemas.js';

const tags = ['account'];

export function meRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/me',
      { schema: { tags, summary: 'My account', response: { 200: ZUser, ...problemResponses(401) } } },
      async (request) => presentUser(requireAuth(request).user),
    );

    app.patch(
      '/me',
      {
        schema: {
          tags,
          summary: 'Change my name or language',
          body: z.strictObject({ fullName: ZFullName.optional(), locale: ZLocale.optional() }),
          response: { 200: ZUser, ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const { user } = requireAuth(request);
        return presentUser(await updateProfile(ctx, user, request.body, actorOf(request)));
      },
    );

    app.post(
      '/me/password',
      {
        config: { admission: 'password' },
        schema: {
          tags,
          summary: 'Change my password; ends my other sessions',
          body: z.strictObject({ currentPassword: ZPassword, newPassword: ZPassword }),
          response: { 204: z.null(), ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const { user, session } = requireAuth(request);
        await changePassword(
          ctx,
          user,
          session.id,
          request.body.currentPassword,
          request.body.newPassword,
          actorOf(request),
        );
        return reply.code(204).send(null);
      },
    );
  };
}

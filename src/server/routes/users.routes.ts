import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { presentUser, ZUser } from '../presenters/user.presenter.js';
import { listAudit } from '../services/audit.service.js';
import { changeUserRole, createUser, getUser, listUsers, setUserDisabled } from '../services/user.service.js';
import { problemResponses, ZEmail, ZFullName, ZLocale, ZPassword } from './schemas.js';

const tags = ['users'];

export function userRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/users',
      {
        schema: {
          tags,
          summary: 'List accounts (administrators)',
          querystring: z.strictObject({
            role: z.enum(ROLES).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          }),
          response: { 200: z.object({ items: z.array(ZUser) }), ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => {
        authorize(principalOf(request), 'user.list');
        const rows = await listUsers(ctx, request.query);
        return { items: rows.map(presentUser) };
      },
    );

    app.post(
      '/users',
      {
        schema: {
          tags,
          summary: 'Create an account with any role (administrators)',
          body: z.strictObject({
            email: ZEmail,
            password: ZPassword,
            fullName: ZFullName,
            role: z.enum(ROLES),
            locale: ZLocale.default('en'),
            universityId: z.uuid().nullable().optional(),
            agencyId: z.uuid().nullable().optional(),
          }),
          response: { 201: ZUser, ...problemResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        authorize(principalOf(request), 'user.create');
        const user = await createUser(ctx, request.body, actorOf(request));
        return reply.code(201).send(presentUser(user));
      },
    );

    app.get(
      '/users/:id',
      {
        schema: {
          tags,
          summary: 'One account (administrators, or the account itself)',
          params: z.object({ id: z.uuid() }),
          response: { 200: ZUser, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) => {
        authorize(principalOf(request), 'user.read', { userId: request.params.id }, { hideExistence: true });
        return presentUser(await getUser(ctx, request.params.id));
      },
    );

    app.get(
      '/audit',
      {
        schema: {
          tags,
          summary: 'The audit log, newest first (administrators): who, when, before, after, why',
          querystring: z.strictObject({
            subjectType: z.string().max(60).optional(),
            subjectId: z.string().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.number().int(),
                  at: z.string(),
                  actorUserId: z.string().nullable(),
                  onBehalfOfUserId: z.string().nullable(),
                  action: z.string(),
                  subjectType: z.string(),
                  subjectId: z.string(),
                  before: z.unknown(),
                  after: z.unknown(),
                  reason: z.string().nullable(),
                }),
              ),
            }),
            ...problemResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        authorize(principalOf(request), 'audit.read');
        const rows = await listAudit(ctx.db, request.query);
        return { items: rows.map(({ ip: _ip, ...r }) => ({ ...r, at: r.at.toISOString() })) };
      },
    );

    app.post(
      '/users/:id/disable',
      {
        schema: {
          tags,
          summary: 'Disable or re-enable an account; disabling ends its sessions at once',
          params: z.object({ id: z.uuid() }),
          body: z.strictObject({ disabled: z.boolean(), reason: z.string().trim().min(3).max(1000) }),
          response: { 200: ZUser, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        authorize(principalOf(request), 'user.disable');
        const user = await setUserDisabled(
          ctx,
          request.params.id,
          request.body.disabled,
          request.body.reason,
          actorOf(request),
        );
        return presentUser(user);
      },
    );

    app.put(
      '/users/:id/role',
      {
        schema: {
          tags,
          summary:
            "Change an account's role, university or agency (administrators); ends its sessions at once, audited",
          params: z.object({ id: z.uuid() }),
          body: z.strictObject({
            role: z.enum(ROLES),
            universityId: z.uuid().nullable().optional(),
            agencyId: z.uuid().nullable().optional(),
            reason: z.string().trim().min(3).max(1000),
          }),
          response: { 200: ZUser, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        authorize(principalOf(request), 'user.role');
        return presentUser(await changeUserRole(ctx, request.params.id, request.body, actorOf(request)));
      },
    );
  };
}

import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';

export function healthRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/health',
      {
        schema: {
          tags: ['system'],
          summary: 'Liveness and database check',
          response: {
            200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']), version: z.string() }),
            503: z.object({
              status: z.literal('unavailable'),
              database: z.enum(['pglite', 'postgresql']),
              version: z.string(),
            }),
          },
        },
      },
      async (_request, reply) => {
        try {
          await ctx.db.execute(sql`select 1`);
          return { status: 'ok' as const, database: ctx.database.kind, version: ctx.version };
        } catch {
          return reply
            .code(503)
            .send({ status: 'unavailable' as const, database: ctx.database.kind, version: ctx.version });
        }
      },
    );
  };
}

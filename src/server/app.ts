import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';
import { registerAdmissionControl } from './plugins/admission.plugin.js';
import { principalOf, registerAuth } from './plugins/auth.plugin.js';
import { registerErrorHandling, sendProblem } from './plugins/errors.plugin.js';
import { loggerOptions } from './plugins/logging.js';
import { registerActivityTracking } from './privacy/activity.js';
import { problems } from './problem.js';
import { agencyRoutes } from './routes/agency.routes.js';
import { agencyWorkRoutes } from './routes/agency-work.routes.js';
import { allocationRoutes } from './routes/allocation.routes.js';
import { applicationRoutes } from './routes/applications.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { campaignRoutes } from './routes/campaigns.routes.js';
import { catalogRoutes } from './routes/catalog.routes.js';
import { dossierRoutes } from './routes/dossier.routes.js';
import { examRoutes } from './routes/exams.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { meRoutes } from './routes/me.routes.js';
import { privacyRoutes } from './routes/privacy.routes.js';
import { registerRoutes } from './routes/register.routes.js';
import { registerPeopleRoutes } from './routes/register-people.routes.js';
import { scoringRoutes } from './routes/scoring.routes.js';
import { userRoutes } from './routes/users.routes.js';

export interface BuildAppOptions {
  logger?: boolean;
  /** Where log lines go (tests capture them); standard output by default. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? loggerOptions(ctx.config, options.logStream) : false,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: ctx.config.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  ctx.log = app.log;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: ctx.config.publicUrl.startsWith('https://') ? [] : null,
      },
    },
    strictTransportSecurity: ctx.config.publicUrl.startsWith('https://'),
    crossOriginEmbedderPolicy: false,
  });
  registerAdmissionControl(app, ctx);
  // Time spent on each request in this process, for benchmarks and browser devtools.
  app.addHook('onSend', async (request, reply) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    // What a signed-in person sees is theirs: no browser or proxy keeps a copy.
    if (request.url.startsWith('/api/') && principalOf(request) && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'private, no-store');
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: ctx.config.uploadMaxBytes, files: 1, fields: 5, parts: 6, headerPairs: 100 },
  });
  registerAuth(app, ctx);
  registerActivityTracking(app, ctx);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MedAdmit API',
        version: ctx.version,
        description:
          'Admissions and study records for international medical students. Errors are RFC 9457 problem+json. ' +
          'Writes made with the session cookie need the X-CSRF-Token header from /api/v1/auth/session.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'medadmit_session' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(ctx));
  await app.register(authRoutes(ctx), { prefix: '/api/v1/auth' });
  await app.register(meRoutes(ctx), { prefix: '/api/v1' });
  await app.register(userRoutes(ctx), { prefix: '/api/v1' });
  await app.register(privacyRoutes(ctx), { prefix: '/api/v1' });
  await app.register(catalogRoutes(ctx), { prefix: '/api/v1' });
  await app.register(dossierRoutes(ctx), { prefix: '/api/v1' });
  await app.register(campaignRoutes(ctx), { prefix: '/api/v1' });
  await app.register(applicationRoutes(ctx), { prefix: '/api/v1' });
  await app.register(scoringRoutes(ctx), { prefix: '/api/v1' });
  await app.register(allocationRoutes(ctx), { prefix: '/api/v1' });
  await app.register(agencyRoutes(ctx), { prefix: '/api/v1' });
  await app.register(agencyWorkRoutes(ctx), { prefix: '/api/v1' });
  await app.register(examRoutes(ctx), { prefix: '/api/v1' });
  await app.register(registerRoutes(ctx), { prefix: '/api/v1' });
  await app.register(registerPeopleRoutes(ctx), { prefix: '/api/v1' });

  const indexHtml = path.join(ctx.config.webDir, 'index.html');
  const hasWeb = fs.existsSync(indexHtml);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: ctx.config.webDir,
      wildcard: false,
      index: false,
      preCompressed: true,
      // File names under assets/ carry a content hash: they never change.
      setHeaders: (res, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`))
          res.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api') &&
      !path.extname(request.url.split('?')[0] ?? '');
    if (hasWeb && isPage) {
      // Client-side routes: the SPA decides what to show; hashed assets are cached, the shell is not.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, request, problems.notFound('route'));
  });
  return app;
}

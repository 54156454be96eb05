import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  COUNTRIES,
  CURRENCIES,
  FUNDING_KINDS,
  LANGUAGES,
  LEVELS,
  STUDY_FORMS,
  ZProgramInput,
  ZText,
  ZUniversityInput,
} from '../../domain/catalog/catalog.schema.js';
import { FACETS } from '../../domain/catalog/catalog-index.js';
import {
  comparePrograms,
  getProgram,
  getUniversity,
  listUniversities,
  saveProgram,
  saveUniversity,
  searchPrograms,
} from '../catalog/catalog.service.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { ZProgramDetail, ZProgramSummary, ZUniversityDetail, ZUniversityRef } from '../presenters/catalog.presenter.js';
import { problems } from '../problem.js';
import { problemResponses } from './schemas.js';

const tags = ['catalog'];

/** A list filter given as `a,b` or as repeated parameters. */
function list<T extends z.ZodType<string>>(item: T) {
  return z.preprocess(
    (value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    z.array(item).max(50),
  );
}
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const slugParam = z.object({ key: z.string().min(1).max(120).describe('id or slug') });

export const ZProgramQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('words of the title, specialty, code, university or city; typos tolerated'),
  country: list(z.enum(COUNTRIES)).optional(),
  city: list(z.string().max(100)).optional().describe('English city name, as in the city facet'),
  university: list(z.string().max(120)).optional().describe('university slugs'),
  level: list(z.enum(LEVELS)).optional(),
  specialty: list(z.string().max(20)).optional().describe('official specialty codes'),
  language: list(z.enum(LANGUAGES)).optional(),
  studyForm: list(z.enum(STUDY_FORMS)).optional(),
  funding: list(z.enum(FUNDING_KINDS)).optional(),
  languagePreparation: flag.optional(),
  clinicalPractice: flag.optional(),
  exchange: flag.optional().describe('exchange programs or international partnerships'),
  acceptingNow: flag.optional().describe('an application window is open today (server time)'),
  durationMinYears: z.coerce.number().min(0).max(10).optional(),
  durationMaxYears: z.coerce.number().min(0).max(10).optional(),
  tuitionMin: z.coerce.number().min(0).max(100_000_000).optional(),
  tuitionMax: z.coerce.number().min(0).max(100_000_000).optional(),
  currency: z.enum(CURRENCIES).optional(),
  sort: z.enum(['relevance', 'title', 'duration', 'tuition', 'university']).optional(),
  locale: z.enum(['en', 'ru']).optional().describe('language of title sorting'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const ZFacetValue = z.object({ value: z.string(), label: ZText, count: z.number().int() });
const ZSearchResult = z
  .object({
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
    intakeYear: z.number().int().describe('durations are given for this intake'),
    items: z.array(ZProgramSummary),
    facets: z.object(
      Object.fromEntries(FACETS.map((f) => [f, z.array(ZFacetValue)])) as Record<
        (typeof FACETS)[number],
        z.ZodArray<typeof ZFacetValue>
      >,
    ),
  })
  .meta({ id: 'ProgramSearchResult' });
const ZSaved = z.object({ id: z.uuid(), created: z.boolean() });

export function catalogRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/programs',
      {
        schema: {
          tags,
          summary: 'Search programs with filters, facet counts, sorting and pages',
          querystring: ZProgramQuery,
          response: { 200: ZSearchResult, ...problemResponses(400) },
        },
      },
      async (request) => {
        const q = request.query;
        if (
          q.durationMinYears !== undefined &&
          q.durationMaxYears !== undefined &&
          q.durationMinYears > q.durationMaxYears
        ) {
          throw problems.validation([
            {
              field: 'querystring.durationMaxYears',
              code: 'out_of_range',
              message: 'must not be below durationMinYears',
            },
          ]);
        }
        if (q.tuitionMin !== undefined && q.tuitionMax !== undefined && q.tuitionMin > q.tuitionMax) {
          throw problems.validation([
            { field: 'querystring.tuitionMax', code: 'out_of_range', message: 'must not be below tuitionMin' },
          ]);
        }
        return searchPrograms(ctx, q);
      },
    );

    app.get(
      '/programs/:key',
      {
        schema: {
          tags,
          summary: 'One program with every fact and its source',
          params: slugParam,
          response: { 200: ZProgramDetail, ...problemResponses(404) },
        },
      },
      async (request) => getProgram(ctx, request.params.key),
    );

    app.get(
      '/compare',
      {
        schema: {
          tags,
          summary: 'Up to 4 programs side by side',
          querystring: z.strictObject({ programs: list(z.string().max(120)).pipe(z.array(z.string()).min(1).max(4)) }),
          response: { 200: z.object({ items: z.array(ZProgramDetail) }), ...problemResponses(400) },
        },
      },
      async (request) => ({ items: await comparePrograms(ctx, request.query.programs) }),
    );

    app.put(
      '/programs/:key',
      {
        schema: {
          tags,
          summary: 'Create or replace a program (officers of its university, administrators); audited',
          params: slugParam,
          body: ZProgramInput,
          response: { 200: ZSaved, 201: ZSaved, ...problemResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        if (request.body.slug !== request.params.key) {
          throw problems.validation([
            { field: 'body.slug', code: 'mismatch', message: 'must equal the slug in the path' },
          ]);
        }
        const principal = principalOf(request);
        if (!principal) throw problems.unauthenticated();
        const saved = await saveProgram(ctx, principal, request.body, actorOf(request));
        return reply.code(saved.created ? 201 : 200).send(saved);
      },
    );

    app.get(
      '/universities',
      {
        schema: {
          tags,
          summary: 'Universities of the catalog',
          response: { 200: z.object({ items: z.array(ZUniversityRef.extend({ programCount: z.number().int() })) }) },
        },
      },
      async () => ({ items: await listUniversities(ctx) }),
    );

    app.get(
      '/universities/:key',
      {
        schema: {
          tags,
          summary: 'One university with its facts, sources, partner agencies and programs',
          params: slugParam,
          response: { 200: ZUniversityDetail, ...problemResponses(404) },
        },
      },
      async (request) => getUniversity(ctx, request.params.key),
    );

    app.put(
      '/universities/:key',
      {
        schema: {
          tags,
          summary: 'Create (administrators) or replace (administrators, its officers) a university; audited',
          params: slugParam,
          body: ZUniversityInput,
          response: { 200: ZSaved, 201: ZSaved, ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        if (request.body.slug !== request.params.key) {
          throw problems.validation([
            { field: 'body.slug', code: 'mismatch', message: 'must equal the slug in the path' },
          ]);
        }
        const principal = principalOf(request);
        if (!principal) throw problems.unauthenticated();
        const saved = await saveUniversity(ctx, principal, request.body, actorOf(request));
        return reply.code(saved.created ? 201 : 200).send(saved);
      },
    );
  };
}

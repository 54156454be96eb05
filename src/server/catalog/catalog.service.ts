import { eq, sql } from 'drizzle-orm';
import { agencies, agencyUniversities, programs, universities } from '../../db/schema.js';
import type { TCatalogFile, TProgramInput, TUniversityInput } from '../../domain/catalog/catalog.schema.js';
import type { CatalogQuery, CatalogResult } from '../../domain/catalog/catalog-index.js';
import type { AppContext } from '../context.js';
import type { Principal } from '../policies/policy.js';
import { authorize } from '../policies/policy.js';
import { presentProgramDetail, presentProgramSummary, presentUniversityRef } from '../presenters/catalog.presenter.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { programToInput, programValues, universityToInput, universityValues } from './catalog.mapping.js';
import { bumpCatalogVersion, type CatalogSnapshot, type ProgramRow } from './catalog.store.js';

export interface ImportProblem {
  /** File and row the problem is on, e.g. "programs.csv row 7" or "catalog.json programs[3]". */
  where: string;
  field: string;
  message: string;
}

/** Raised when an import has any problem; nothing was written. */
export class CatalogImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`catalog import refused: ${problems.length} problem(s)`);
  }
}

/** Where each entry of an import came from, parallel to the arrays of TCatalogFile. */
export interface ImportLocations {
  universities: string[];
  programs: string[];
}

function find<T extends { id: string; slug: string }>(byId: Map<string, T>, bySlug: Map<string, T>, key: string) {
  return byId.get(key) ?? bySlug.get(key);
}

export async function searchPrograms(ctx: AppContext, query: CatalogQuery) {
  const snapshot = await ctx.catalog.get();
  for (const [facet, values] of [
    ['city', query.city],
    ['university', query.university],
    ['specialty', query.specialty],
  ] as const) {
    const known = new Set(snapshot.index.knownValues(facet));
    const unknown = (values ?? []).filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw problems.validation(
        unknown.map((v) => ({
          field: `querystring.${facet}`,
          code: 'unknown_value',
          message: `No ${facet} "${v}" in the catalog.`,
        })),
      );
    }
  }
  if ((query.tuitionMin !== undefined || query.tuitionMax !== undefined) && !query.currency) {
    throw problems.validation([
      { field: 'querystring.currency', code: 'required', message: 'Give the currency of the tuition range.' },
    ]);
  }
  const now = ctx.clock.now();
  const result: CatalogResult = snapshot.index.search(query, now);
  return {
    total: result.total,
    page: result.page,
    pageSize: result.pageSize,
    intakeYear: snapshot.index.intakeYear,
    items: result.ids.map((id) => presentProgramSummary(snapshot, snapshot.programs.get(id) as ProgramRow, now)),
    facets: result.facets,
  };
}

export async function getProgram(ctx: AppContext, key: string) {
  const snapshot = await ctx.catalog.get();
  const program = find(snapshot.programs, snapshot.programsBySlug, key);
  if (!program) throw problems.notFound('program');
  return presentProgramDetail(snapshot, program, ctx.clock.now());
}

export async function comparePrograms(ctx: AppContext, keys: string[]) {
  const snapshot = await ctx.catalog.get();
  const now = ctx.clock.now();
  const missing = keys.filter((k) => !find(snapshot.programs, snapshot.programsBySlug, k));
  if (missing.length > 0) {
    throw problems.validation(
      missing.map((k) => ({ field: 'querystring.programs', code: 'unknown_value', message: `No program "${k}".` })),
    );
  }
  return keys.map((k) =>
    presentProgramDetail(snapshot, find(snapshot.programs, snapshot.programsBySlug, k) as ProgramRow, now),
  );
}

function programsOf(snapshot: CatalogSnapshot, universityId: string): ProgramRow[] {
  return [...snapshot.programs.values()]
    .filter((p) => p.universityId === universityId)
    .sort((a, b) => a.level.localeCompare(b.level) || a.titleEn.localeCompare(b.titleEn));
}

export async function listUniversities(ctx: AppContext) {
  const snapshot = await ctx.catalog.get();
  const counts = new Map<string, number>();
  for (const p of snapshot.programs.values()) counts.set(p.universityId, (counts.get(p.universityId) ?? 0) + 1);
  return [...snapshot.universities.values()]
    .filter((u) => u.country !== null)
    .sort((a, b) => a.nameEn.localeCompare(b.nameEn))
    .map((u) => ({ ...presentUniversityRef(u), programCount: counts.get(u.id) ?? 0 }));
}

export async function getUniversity(ctx: AppContext, key: string) {
  const snapshot = await ctx.catalog.get();
  const university = find(snapshot.universities, snapshot.universitiesBySlug, key);
  if (!university || university.country === null) throw problems.notFound('university');
  const partners = await ctx.db
    .select({ slug: agencies.slug, en: agencies.nameEn, ru: agencies.nameRu })
    .from(agencyUniversities)
    .innerJoin(agencies, eq(agencies.id, agencyUniversities.agencyId))
    .where(eq(agencyUniversities.universityId, university.id));
  const now = ctx.clock.now();
  return {
    ...presentUniversityRef(university),
    nameKk: university.nameKk,
    website: university.website,
    wdomsListed: university.wdomsListed,
    languages: university.languages as TUniversityInput['languages'],
    multidisciplinaryClinicalBases: university.multidisciplinaryClinicalBases,
    clinicalBases: university.clinicalBases,
    partnerships: university.partnerships,
    exchangePrograms: university.exchangePrograms,
    description: university.description,
    sources: university.sources,
    agencies: partners.map((a) => ({ slug: a.slug, name: { en: a.en, ru: a.ru } })),
    programs: programsOf(snapshot, university.id).map((p) => presentProgramSummary(snapshot, p, now)),
    updatedAt: university.updatedAt.toISOString(),
  };
}

/** Creates or replaces a university by slug. Administrators create; officers edit their own. */
export async function saveUniversity(ctx: AppContext, principal: Principal, input: TUniversityInput, actor: Actor) {
  const snapshot = await ctx.catalog.get();
  const existing = snapshot.universitiesBySlug.get(input.slug);
  authorize(principal, existing ? 'catalog.university.update' : 'catalog.university.create', {
    universityId: existing?.id ?? null,
  });
  const saved = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(universities)
      .values(universityValues(input))
      .onConflictDoUpdate({
        target: universities.slug,
        set: { ...universityValues(input), updatedAt: ctx.clock.now() },
      })
      .returning();
    if (!row) throw new Error('university upsert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: existing ? 'catalog.university.updated' : 'catalog.university.created',
      subjectType: 'university',
      subjectId: row.id,
      before: existing ? universityToInput(existing) : null,
      after: input,
    });
    await bumpCatalogVersion(tx);
    return row;
  });
  ctx.catalog.invalidate();
  return { created: !existing, id: saved.id };
}

/** Creates or replaces a program by slug; only for its university's officers and administrators. */
export async function saveProgram(ctx: AppContext, principal: Principal, input: TProgramInput, actor: Actor) {
  const snapshot = await ctx.catalog.get();
  const university = snapshot.universitiesBySlug.get(input.university);
  if (!university) {
    throw problems.validation([
      { field: 'body.university', code: 'unknown_value', message: `No university "${input.university}".` },
    ]);
  }
  const existing = snapshot.programsBySlug.get(input.slug);
  authorize(principal, 'catalog.program.write', { universityId: university.id });
  if (existing && existing.universityId !== university.id) {
    // Moving a program to another university needs rights on the one it leaves too.
    authorize(principal, 'catalog.program.write', { universityId: existing.universityId });
  }
  const clash = duplicateIdentity(snapshot, input, university.id);
  if (clash) {
    throw problems.conflict(
      'duplicate_program',
      `${university.slug} already has a ${input.level} program with code ${input.specialtyCode}: ${clash.slug}.`,
      'body.specialtyCode',
    );
  }
  const saved = await ctx.db.transaction(async (tx) => {
    const values = programValues(input, university.id);
    const [row] = await tx
      .insert(programs)
      .values(values)
      .onConflictDoUpdate({ target: programs.slug, set: { ...values, updatedAt: ctx.clock.now() } })
      .returning();
    if (!row) throw new Error('program upsert returned nothing');
    const before = existing
      ? programToInput(existing, snapshot.universities.get(existing.universityId)?.slug ?? '')
      : null;
    await recordAudit(tx, ctx.clock, actor, {
      action: existing ? 'catalog.program.updated' : 'catalog.program.created',
      subjectType: 'program',
      subjectId: row.id,
      before,
      after: input,
    });
    await bumpCatalogVersion(tx);
    return row;
  });
  ctx.catalog.invalidate();
  return { created: !existing, id: saved.id };
}

/** Another program of the same university, level and official code ("duplicate code"). */
function duplicateIdentity(
  snapshot: CatalogSnapshot,
  input: TProgramInput,
  universityId: string,
): ProgramRow | undefined {
  if (!input.specialtyCode) return undefined;
  for (const p of snapshot.programs.values()) {
    if (
      p.slug !== input.slug &&
      p.universityId === universityId &&
      p.level === input.level &&
      p.specialtyCode === input.specialtyCode
    ) {
      return p;
    }
  }
  return undefined;
}

function checkImport(snapshot: CatalogSnapshot, file: TCatalogFile, where: ImportLocations): ImportProblem[] {
  const found: ImportProblem[] = [];
  const seenUniversities = new Map<string, string>();
  file.universities.forEach((u, i) => {
    const at = where.universities[i] ?? `universities[${i}]`;
    const first = seenUniversities.get(u.slug);
    if (first) found.push({ where: at, field: 'slug', message: `duplicate slug "${u.slug}" (first at ${first})` });
    else seenUniversities.set(u.slug, at);
  });
  const seenPrograms = new Map<string, string>();
  const seenCodes = new Map<string, string>();
  file.programs.forEach((p, i) => {
    const at = where.programs[i] ?? `programs[${i}]`;
    const first = seenPrograms.get(p.slug);
    if (first) found.push({ where: at, field: 'slug', message: `duplicate slug "${p.slug}" (first at ${first})` });
    else seenPrograms.set(p.slug, at);
    if (!seenUniversities.has(p.university) && !snapshot.universitiesBySlug.has(p.university)) {
      found.push({
        where: at,
        field: 'university',
        message: `no university "${p.university}" in this import or the catalog`,
      });
    }
    if (p.specialtyCode) {
      const key = `${p.university}|${p.level}|${p.specialtyCode}`;
      const earlier = seenCodes.get(key);
      if (earlier) {
        found.push({
          where: at,
          field: 'specialtyCode',
          message: `duplicate code ${p.specialtyCode} for ${p.level} at ${p.university} (first at ${earlier})`,
        });
      } else {
        seenCodes.set(key, at);
      }
      const university = snapshot.universitiesBySlug.get(p.university);
      const clash = university ? duplicateIdentity(snapshot, p, university.id) : undefined;
      if (clash && !file.programs.some((q) => q.slug === clash.slug)) {
        found.push({
          where: at,
          field: 'specialtyCode',
          message: `program "${clash.slug}" already has code ${p.specialtyCode} for ${p.level} at ${p.university}`,
        });
      }
    }
  });
  return found;
}

const BATCH = 500;

/**
 * Imports universities and programs all or nothing: every entry is checked first (duplicates,
 * references), then everything is written in one transaction, upserting by slug.
 */
export async function importCatalog(
  ctx: AppContext,
  file: TCatalogFile,
  where: ImportLocations,
  actor: Actor,
  onProgress: (done: number, total: number) => void = () => undefined,
  /** Problems already found while reading the files; reported together with the checks here. */
  readProblems: ImportProblem[] = [],
): Promise<{ universities: number; programs: number }> {
  const snapshot = await ctx.catalog.get();
  const found = [...readProblems, ...checkImport(snapshot, file, where)];
  if (found.length > 0) throw new CatalogImportError(found);
  const total = file.universities.length + file.programs.length;
  await ctx.db.transaction(async (tx) => {
    let done = 0;
    for (let i = 0; i < file.universities.length; i += BATCH) {
      const batch = file.universities.slice(i, i + BATCH).map(universityValues);
      await tx
        .insert(universities)
        .values(batch)
        .onConflictDoUpdate({
          target: universities.slug,
          set: excludedColumns(Object.keys(batch[0] ?? {}), 'universities'),
        });
      done += batch.length;
      onProgress(done, total);
    }
    const ids = new Map(
      (await tx.select({ id: universities.id, slug: universities.slug }).from(universities)).map((u) => [u.slug, u.id]),
    );
    for (let i = 0; i < file.programs.length; i += BATCH) {
      const batch = file.programs.slice(i, i + BATCH).map((p) => programValues(p, ids.get(p.university) as string));
      await tx
        .insert(programs)
        .values(batch)
        .onConflictDoUpdate({ target: programs.slug, set: excludedColumns(Object.keys(batch[0] ?? {}), 'programs') });
      done += batch.length;
      onProgress(done, total);
    }
    await recordAudit(tx, ctx.clock, actor, {
      action: 'catalog.imported',
      subjectType: 'catalog',
      subjectId: 'catalog',
      after: { universities: file.universities.length, programs: file.programs.length },
    });
    await bumpCatalogVersion(tx);
  });
  ctx.catalog.invalidate();
  return { universities: file.universities.length, programs: file.programs.length };
}

const COLUMN_NAMES: Record<string, Record<string, string>> = {
  universities: Object.fromEntries(Object.entries(universities).flatMap(([k, v]) => columnEntry(k, v))),
  programs: Object.fromEntries(Object.entries(programs).flatMap(([k, v]) => columnEntry(k, v))),
};

function columnEntry(key: string, value: unknown): [string, string][] {
  const name = (value as { name?: unknown })?.name;
  return typeof name === 'string' ? [[key, name]] : [];
}

/** `SET col = excluded.col` for every written column, plus a fresh updated_at. */
function excludedColumns(keys: string[], table: 'universities' | 'programs') {
  const set: Record<string, ReturnType<typeof sql>> = {};
  for (const key of keys) {
    if (key === 'slug') continue;
    const column = COLUMN_NAMES[table]?.[key];
    if (column) set[key] = sql.raw(`excluded."${column}"`);
  }
  set.updatedAt = sql`now()`;
  return set;
}

export async function exportCatalog(ctx: AppContext): Promise<TCatalogFile> {
  const snapshot = await ctx.catalog.get();
  const list = [...snapshot.universities.values()]
    .filter((u) => u.country !== null)
    .sort((a, b) => a.slug.localeCompare(b.slug));
  return {
    universities: list.map(universityToInput),
    programs: [...snapshot.programs.values()]
      .sort((a, b) => a.slug.localeCompare(b.slug))
      .map((p) => programToInput(p, snapshot.universities.get(p.universityId)?.slug ?? '')),
  };
}

export function importProblem(error: CatalogImportError): ProblemError {
  return new ProblemError(400, 'import_failed', 'Import refused', {
    detail: `${error.problems.length} problem(s); nothing was imported.`,
    errors: error.problems.map((p) => ({ field: `${p.where}: ${p.field}`, code: 'invalid', message: p.message })),
  });
}

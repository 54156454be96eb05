import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { appMeta, programs, specialties, universities } from '../../db/schema.js';
import type { TDurationRule, TIntakeWindow } from '../../domain/catalog/catalog.schema.js';
import { CatalogIndex, type IndexProgram, type IndexUniversity } from '../../domain/catalog/catalog-index.js';
import { CATALOG_LABELS } from '../../domain/catalog/catalog-labels.js';
import { upcomingIntakeYear } from '../../domain/catalog/program-duration.js';
import type { Clock } from '../../domain/clock.js';

export type UniversityRow = typeof universities.$inferSelect;
export type ProgramRow = typeof programs.$inferSelect;
export type SpecialtyRow = typeof specialties.$inferSelect;

export interface CatalogSnapshot {
  index: CatalogIndex;
  programs: Map<string, ProgramRow>;
  programsBySlug: Map<string, ProgramRow>;
  universities: Map<string, UniversityRow>;
  universitiesBySlug: Map<string, UniversityRow>;
  specialties: SpecialtyRow[];
  version: number;
}

const VERSION_KEY = 'catalog_version';
// Other instances notice a change within this time; this one sees its own writes at once.
const VERSION_CHECK_MS = 1000;

function toIndexProgram(p: ProgramRow): IndexProgram {
  return {
    ...p,
    level: p.level as IndexProgram['level'],
    durations: p.durations as TDurationRule[],
    languages: p.languages as IndexProgram['languages'],
    studyForms: p.studyForms as IndexProgram['studyForms'],
    fundingKinds: p.fundingKinds as IndexProgram['fundingKinds'],
    intakeWindows: p.intakeWindows as TIntakeWindow[],
  };
}

function toIndexUniversity(u: UniversityRow): IndexUniversity {
  return { ...u, country: u.country as IndexUniversity['country'] };
}

/** Bumps the catalog version inside the writing transaction, so every instance rebuilds its index. */
export async function bumpCatalogVersion(db: Db): Promise<void> {
  await db
    .insert(appMeta)
    .values({ key: VERSION_KEY, value: 1 })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: sql`to_jsonb((${appMeta.value})::int + 1)` } });
}

async function readVersion(db: Db): Promise<number> {
  const [row] = await db.select().from(appMeta).where(eq(appMeta.key, VERSION_KEY));
  return typeof row?.value === 'number' ? row.value : 0;
}

/**
 * Keeps the catalog in memory: searching 20,000 programs with facets takes milliseconds there,
 * while the database stays the source of truth. Rebuilt when the stored version changes.
 */
export class CatalogStore {
  private snapshot: CatalogSnapshot | undefined;
  private loading: Promise<CatalogSnapshot> | undefined;
  private checkedAt = 0;
  /** Incremented by every write; a load started before a write does not become current. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<CatalogSnapshot> {
    const now = this.clock.now();
    const current = this.snapshot;
    if (current && current.index.intakeYear === upcomingIntakeYear(now)) {
      if (Date.now() - this.checkedAt < VERSION_CHECK_MS) return current;
      this.checkedAt = Date.now();
      if ((await readVersion(this.db)) === current.version) return current;
    }
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Drops the snapshot after a write by this instance. */
  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
    this.loading = undefined;
  }

  private async load(): Promise<CatalogSnapshot> {
    const generation = this.generation;
    const version = await readVersion(this.db);
    const [universityRows, programRows, specialtyRows] = await Promise.all([
      this.db.select().from(universities),
      this.db.select().from(programs),
      this.db.select().from(specialties),
    ]);
    const index = new CatalogIndex(
      programRows.map(toIndexProgram),
      universityRows.filter((u) => u.country !== null).map(toIndexUniversity),
      specialtyRows.map((s) => ({ ...s, durations: s.durations as TDurationRule[] })),
      upcomingIntakeYear(this.clock.now()),
      CATALOG_LABELS,
    );
    const snapshot: CatalogSnapshot = {
      index,
      programs: new Map(programRows.map((p) => [p.id, p])),
      programsBySlug: new Map(programRows.map((p) => [p.slug, p])),
      universities: new Map(universityRows.map((u) => [u.id, u])),
      universitiesBySlug: new Map(universityRows.map((u) => [u.slug, u])),
      specialties: specialtyRows,
      version,
    };
    if (generation === this.generation) {
      this.snapshot = snapshot;
      this.checkedAt = Date.now();
    }
    return snapshot;
  }
}

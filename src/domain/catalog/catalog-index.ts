import MiniSearch from 'minisearch';
import type {
  Country,
  FundingKind,
  Language,
  Level,
  StudyForm,
  TDurationRule,
  TIntakeWindow,
  TText,
} from './catalog.schema.js';
import { isAcceptingOn } from './intake-window.js';
import { type Duration, durationFor } from './program-duration.js';

/** What the index needs of a university (a subset of the stored record). */
export interface IndexUniversity {
  id: string;
  slug: string;
  nameEn: string;
  nameRu: string;
  nameKk: string | null;
  shortName: string | null;
  country: Country | null;
  city: TText | null;
  partnerships: TText | null;
  exchangePrograms: TText | null;
}

export interface IndexProgram {
  id: string;
  slug: string;
  universityId: string;
  level: Level;
  titleEn: string;
  titleRu: string;
  specialtyCode: string | null;
  durations: TDurationRule[];
  languages: Language[];
  languagePreparation: boolean | null;
  studyForms: StudyForm[];
  fundingKinds: FundingKind[];
  tuitionAmount: number | null;
  tuitionCurrency: string | null;
  tuitionPeriod: string | null;
  clinicalPractice: boolean | null;
  exchangePrograms: boolean | null;
  intakeWindows: TIntakeWindow[];
}

export interface IndexSpecialty {
  country: string;
  code: string;
  nameEn: string;
  nameRu: string;
  durations: TDurationRule[];
}

export const FACETS = [
  'country',
  'city',
  'university',
  'level',
  'specialty',
  'language',
  'studyForm',
  'funding',
  'languagePreparation',
  'clinicalPractice',
  'exchange',
  'acceptingNow',
] as const;
export type Facet = (typeof FACETS)[number];

export type SortKey = 'relevance' | 'title' | 'duration' | 'tuition' | 'university';

export interface CatalogQuery {
  q?: string | undefined;
  country?: string[] | undefined;
  city?: string[] | undefined;
  university?: string[] | undefined;
  level?: string[] | undefined;
  specialty?: string[] | undefined;
  language?: string[] | undefined;
  studyForm?: string[] | undefined;
  funding?: string[] | undefined;
  languagePreparation?: boolean | undefined;
  clinicalPractice?: boolean | undefined;
  exchange?: boolean | undefined;
  acceptingNow?: boolean | undefined;
  durationMinYears?: number | undefined;
  durationMaxYears?: number | undefined;
  tuitionMin?: number | undefined;
  tuitionMax?: number | undefined;
  currency?: string | undefined;
  sort?: SortKey | undefined;
  locale?: 'en' | 'ru' | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface FacetValue {
  value: string;
  label: TText;
  count: number;
}

export interface CatalogResult {
  total: number;
  page: number;
  pageSize: number;
  /** Ids of the programs on this page, in order. */
  ids: string[];
  /** For each facet, the number of results each value would give with the other filters kept. */
  facets: Record<Facet, FacetValue[]>;
}

/** One row per program, with every facet value interned to a small integer. */
interface Row {
  program: IndexProgram;
  university: IndexUniversity;
  values: Int32Array[];
  duration: Duration | null;
}

const BOOLEAN_FACETS: readonly Facet[] = ['languagePreparation', 'clinicalPractice', 'exchange', 'acceptingNow'];
const YES: TText = { en: 'Yes', ru: 'Да' };

/** An unknown filter value, reported with its field so the API can answer 400. */
export class UnknownFilterValue extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`unknown value "${value}" for ${field}`);
  }
}

/**
 * In-memory search over the catalog: full text in English and Russian with typo tolerance
 * (MiniSearch: prefix and fuzzy matching), filters, disjunctive facet counts and sorting.
 * Built once from the database and rebuilt when the catalog changes; pure, no I/O.
 */
export class CatalogIndex {
  private readonly rows: Row[];
  private readonly byId = new Map<string, number>();
  private readonly text: MiniSearch;
  /** Per facet: value → id, and id → value with its label. */
  private readonly dictionaries: { ids: Map<string, number>; values: { value: string; label: TText }[] }[];
  readonly size: number;

  constructor(
    programs: readonly IndexProgram[],
    universities: readonly IndexUniversity[],
    specialties: readonly IndexSpecialty[],
    readonly intakeYear: number,
    readonly labels: Partial<Record<Facet, Record<string, TText>>> = {},
  ) {
    const universityById = new Map(universities.map((u) => [u.id, u]));
    const specialtyByKey = new Map(specialties.map((s) => [`${s.country}:${s.code}`, s]));
    this.dictionaries = FACETS.map(() => ({ ids: new Map(), values: [] }));
    this.rows = [];
    for (const program of programs) {
      const university = universityById.get(program.universityId);
      if (!university) continue;
      const specialty = program.specialtyCode
        ? specialtyByKey.get(`${university.country}:${program.specialtyCode}`)
        : undefined;
      const duration = durationFor(program.durations, specialty?.durations ?? [], intakeYear);
      const values = FACETS.map((facet, f) => {
        const raw = this.rawValues(facet, program, university, specialty);
        return Int32Array.from(raw.map(([value, label]) => this.intern(f, value, label)));
      });
      this.byId.set(program.id, this.rows.length);
      this.rows.push({ program, university, values, duration });
    }
    this.size = this.rows.length;
    this.text = new MiniSearch({
      fields: [
        'titleEn',
        'titleRu',
        'specialtyCode',
        'universityEn',
        'universityRu',
        'universityShort',
        'cityEn',
        'cityRu',
      ],
      idField: 'i',
      searchOptions: {
        prefix: true,
        fuzzy: 0.2,
        combineWith: 'AND',
        boost: { titleEn: 3, titleRu: 3, specialtyCode: 2, universityShort: 2 },
      },
    });
    this.text.addAll(
      this.rows.map((r, i) => ({
        i,
        titleEn: r.program.titleEn,
        titleRu: r.program.titleRu,
        specialtyCode: r.program.specialtyCode ?? '',
        universityEn: r.university.nameEn,
        universityRu: r.university.nameRu,
        universityShort: [r.university.shortName, r.university.nameKk, r.university.slug].filter(Boolean).join(' '),
        cityEn: r.university.city?.en ?? '',
        cityRu: r.university.city?.ru ?? '',
      })),
    );
  }

  private intern(facet: number, value: string, label: TText): number {
    const dictionary = this.dictionaries[facet] as (typeof this.dictionaries)[number];
    let id = dictionary.ids.get(value);
    if (id === undefined) {
      id = dictionary.values.length;
      dictionary.ids.set(value, id);
      dictionary.values.push({ value, label });
    }
    return id;
  }

  private rawValues(
    facet: Facet,
    p: IndexProgram,
    u: IndexUniversity,
    specialty: IndexSpecialty | undefined,
  ): [string, TText][] {
    const label = (value: string): TText => this.labels[facet]?.[value] ?? { en: value, ru: value };
    switch (facet) {
      case 'country':
        return u.country ? [[u.country, label(u.country)]] : [];
      case 'city':
        return u.city ? [[u.city.en, u.city]] : [];
      case 'university':
        return [[u.slug, { en: u.shortName ?? u.nameEn, ru: u.shortName ?? u.nameRu }]];
      case 'level':
        return [[p.level, label(p.level)]];
      case 'specialty':
        return p.specialtyCode
          ? [
              [
                p.specialtyCode,
                specialty ? { en: specialty.nameEn, ru: specialty.nameRu } : { en: p.titleEn, ru: p.titleRu },
              ],
            ]
          : [];
      case 'language':
        return p.languages.map((l) => [l, label(l)]);
      case 'studyForm':
        return p.studyForms.map((s) => [s, label(s)]);
      case 'funding':
        return p.fundingKinds.map((k) => [k, label(k)]);
      case 'languagePreparation':
        return p.languagePreparation ? [['true', YES]] : [];
      case 'clinicalPractice':
        return p.clinicalPractice ? [['true', YES]] : [];
      case 'exchange':
        return p.exchangePrograms || u.exchangePrograms || u.partnerships ? [['true', YES]] : [];
      case 'acceptingNow':
        // Depends on the date: evaluated per query, see `accepting`.
        return [];
    }
  }

  /** Values a facet can take in this catalog (for validating filters). */
  knownValues(facet: Facet): string[] {
    return (this.dictionaries[FACETS.indexOf(facet)]?.values ?? []).map((v) => v.value);
  }

  search(query: CatalogQuery, now: Date): CatalogResult {
    const page = Math.max(1, query.page ?? 1);
    const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 20));
    // Selected value ids per facet; null = no filter on that facet.
    const selected: (Uint8Array | null)[] = FACETS.map((facet, f) => {
      const dictionary = this.dictionaries[f] as (typeof this.dictionaries)[number];
      const wanted = BOOLEAN_FACETS.includes(facet)
        ? query[facet as 'exchange']
          ? ['true']
          : undefined
        : (query[facet as 'country'] as string[] | undefined);
      if (!wanted || wanted.length === 0 || facet === 'acceptingNow') return null;
      const mask = new Uint8Array(Math.max(1, dictionary.values.length));
      for (const value of wanted) {
        const id = dictionary.ids.get(value);
        if (id !== undefined) mask[id] = 1;
      }
      return mask;
    });
    const acceptingFacet = FACETS.indexOf('acceptingNow');
    const acceptingFilter = query.acceptingNow === true;

    let candidates: number[];
    let scores: Map<number, number> | undefined;
    const q = query.q?.trim();
    if (q) {
      const hits = this.text.search(q);
      scores = new Map(hits.map((h) => [h.id as number, h.score]));
      candidates = hits.map((h) => h.id as number);
    } else {
      candidates = this.rows.map((_, i) => i);
    }

    const counts = FACETS.map((_, f) => new Int32Array(this.dictionaries[f]?.values.length ?? 0));
    let acceptingCount = 0;
    const matched: number[] = [];
    const failsOther = (row: Row) => !this.inRanges(row, query);
    for (const index of candidates) {
      const row = this.rows[index] as Row;
      if (failsOther(row)) continue;
      const accepting = isAcceptingOn(row.program.intakeWindows, now);
      let failed = -1;
      let failures = 0;
      for (let f = 0; f < FACETS.length; f++) {
        const pass = f === acceptingFacet ? !acceptingFilter || accepting : matches(selected[f] ?? null, row.values[f]);
        if (!pass) {
          failures++;
          failed = f;
          if (failures > 1) break;
        }
      }
      if (failures > 1) continue;
      if (failures === 0) matched.push(index);
      for (let f = 0; f < FACETS.length; f++) {
        if (failures === 1 && f !== failed) continue;
        if (f === acceptingFacet) {
          if (accepting) acceptingCount++;
          continue;
        }
        const values = row.values[f] as Int32Array;
        const facetCounts = counts[f] as Int32Array;
        for (let v = 0; v < values.length; v++)
          facetCounts[values[v] as number] = (facetCounts[values[v] as number] ?? 0) + 1;
      }
    }

    this.sort(matched, query.sort ?? (q ? 'relevance' : 'title'), query.locale ?? 'en', scores);
    const facets = {} as Record<Facet, FacetValue[]>;
    FACETS.forEach((facet, f) => {
      if (facet === 'acceptingNow') {
        facets[facet] = [{ value: 'true', label: YES, count: acceptingCount }];
        return;
      }
      const dictionary = this.dictionaries[f] as (typeof this.dictionaries)[number];
      const facetCounts = counts[f] as Int32Array;
      facets[facet] = dictionary.values
        .map((v, id) => ({ value: v.value, label: v.label, count: facetCounts[id] ?? 0 }))
        .filter((v) => v.count > 0 || (selected[f]?.[dictionary.ids.get(v.value) ?? -1] ?? 0) === 1)
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    });
    const start = (page - 1) * pageSize;
    return {
      total: matched.length,
      page,
      pageSize,
      ids: matched.slice(start, start + pageSize).map((i) => (this.rows[i] as Row).program.id),
      facets,
    };
  }

  private inRanges(row: Row, query: CatalogQuery): boolean {
    if (query.durationMinYears !== undefined || query.durationMaxYears !== undefined) {
      if (!row.duration) return false;
      const low = row.duration.minMonths ?? row.duration.maxMonths;
      if (query.durationMinYears !== undefined && row.duration.maxMonths < query.durationMinYears * 12) return false;
      if (query.durationMaxYears !== undefined && low > query.durationMaxYears * 12) return false;
    }
    if (query.tuitionMin !== undefined || query.tuitionMax !== undefined) {
      const p = row.program;
      if (p.tuitionAmount === null || p.tuitionCurrency !== query.currency) return false;
      if (query.tuitionMin !== undefined && p.tuitionAmount < query.tuitionMin) return false;
      if (query.tuitionMax !== undefined && p.tuitionAmount > query.tuitionMax) return false;
    }
    return true;
  }

  private sort(indexes: number[], sort: SortKey, locale: 'en' | 'ru', scores: Map<number, number> | undefined): void {
    const rows = this.rows;
    const title = (i: number) =>
      locale === 'ru' ? (rows[i] as Row).program.titleRu : (rows[i] as Row).program.titleEn;
    const collator = new Intl.Collator(locale);
    const byTitle = (a: number, b: number) => collator.compare(title(a), title(b));
    const nullsLast = (x: number | null | undefined, y: number | null | undefined) =>
      (x ?? Number.POSITIVE_INFINITY) - (y ?? Number.POSITIVE_INFINITY);
    switch (sort) {
      case 'relevance':
        if (scores) indexes.sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0) || byTitle(a, b));
        else indexes.sort(byTitle);
        return;
      case 'title':
        indexes.sort(byTitle);
        return;
      case 'duration':
        indexes.sort(
          (a, b) =>
            nullsLast((rows[a] as Row).duration?.maxMonths, (rows[b] as Row).duration?.maxMonths) || byTitle(a, b),
        );
        return;
      case 'tuition':
        indexes.sort(
          (a, b) =>
            nullsLast((rows[a] as Row).program.tuitionAmount, (rows[b] as Row).program.tuitionAmount) || byTitle(a, b),
        );
        return;
      case 'university': {
        const name = (i: number) =>
          locale === 'ru' ? (rows[i] as Row).university.nameRu : (rows[i] as Row).university.nameEn;
        indexes.sort((a, b) => collator.compare(name(a), name(b)) || byTitle(a, b));
        return;
      }
    }
  }

  /** The resolved duration of a program for this index's intake year. */
  durationOf(programId: string): Duration | null {
    const i = this.byId.get(programId);
    return i === undefined ? null : ((this.rows[i] as Row).duration ?? null);
  }

  isAccepting(programId: string, now: Date): boolean {
    const i = this.byId.get(programId);
    return i !== undefined && isAcceptingOn((this.rows[i] as Row).program.intakeWindows, now);
  }
}

function matches(mask: Uint8Array | null, values: Int32Array | undefined): boolean {
  if (!mask) return true;
  if (!values) return false;
  for (let i = 0; i < values.length; i++) if (mask[values[i] as number] === 1) return true;
  return false;
}

import MiniSearch from 'minisearch';
import bitsets from 'typedfastbitset';
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

/** One row per program. */
interface Row {
  program: IndexProgram;
  university: IndexUniversity;
  duration: Duration | null;
}

/** A facet's values, each with the set of rows that have it. */
interface Dictionary {
  ids: Map<string, number>;
  values: { value: string; label: TText }[];
  rows: TypedFastBitSet[];
}

const { TypedFastBitSet } = bitsets;
type TypedFastBitSet = InstanceType<typeof TypedFastBitSet>;

const BOOLEAN_FACETS: readonly Facet[] = ['languagePreparation', 'clinicalPractice', 'exchange', 'acceptingNow'];
const YES: TText = { en: 'Yes', ru: 'Да' };
/** Long facets (universities, cities) list their largest values only, plus any value chosen. */
export const FACET_LIMIT = 30;

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
  private readonly dictionaries: Dictionary[];
  /** Position of each row when sorted by title / by university name, per language: sorting compares integers. */
  private readonly ranks: Record<'title' | 'university', Record<'en' | 'ru', Int32Array>>;
  /** Which rows accept applications, for the last day asked about (windows repeat yearly, by day). */
  private accepting: { day: string; rows: TypedFastBitSet } | undefined;
  private readonly all: TypedFastBitSet;
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
    this.dictionaries = FACETS.map(() => ({ ids: new Map(), values: [], rows: [] }));
    this.rows = [];
    for (const program of programs) {
      const university = universityById.get(program.universityId);
      if (!university) continue;
      const specialty = program.specialtyCode
        ? specialtyByKey.get(`${university.country}:${program.specialtyCode}`)
        : undefined;
      const duration = durationFor(program.durations, specialty?.durations ?? [], intakeYear);
      const row = this.rows.length;
      FACETS.forEach((facet, f) => {
        for (const [value, label] of this.rawValues(facet, program, university, specialty)) {
          (this.dictionaries[f] as Dictionary).rows[this.intern(f, value, label)]?.add(row);
        }
      });
      this.byId.set(program.id, row);
      this.rows.push({ program, university, duration });
    }
    this.size = this.rows.length;
    this.all = new TypedFastBitSet(this.rows.keys());
    const rank = (key: (r: Row) => string, locale: 'en' | 'ru') => {
      const collator = new Intl.Collator(locale);
      const order = this.rows
        .map((_, i) => i)
        .sort((a, b) => collator.compare(key(this.rows[a] as Row), key(this.rows[b] as Row)));
      const ranks = new Int32Array(this.rows.length);
      order.forEach((row, position) => {
        ranks[row] = position;
      });
      return ranks;
    };
    this.ranks = {
      title: { en: rank((r) => r.program.titleEn, 'en'), ru: rank((r) => r.program.titleRu, 'ru') },
      university: { en: rank((r) => r.university.nameEn, 'en'), ru: rank((r) => r.university.nameRu, 'ru') },
    };
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
        // One typo in words up to 10 letters, two beyond: "cardiolgy" finds cardiology, "cardiology" not radiology.
        fuzzy: (term: string) => (term.length <= 4 ? false : term.length <= 10 ? 1 : 2),
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
    const dictionary = this.dictionaries[facet] as Dictionary;
    let id = dictionary.ids.get(value);
    if (id === undefined) {
      id = dictionary.values.length;
      dictionary.ids.set(value, id);
      dictionary.values.push({ value, label });
      dictionary.rows.push(new TypedFastBitSet());
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
    const acceptingFacet = FACETS.indexOf('acceptingNow');
    // Per facet, the rows a filter lets through (OR of the chosen values); null = no filter.
    const masks: (TypedFastBitSet | null)[] = FACETS.map((facet, f) => {
      if (f === acceptingFacet) return query.acceptingNow ? this.acceptingOn(now) : null;
      const wanted = BOOLEAN_FACETS.includes(facet)
        ? query[facet as 'exchange']
          ? ['true']
          : undefined
        : (query[facet as 'country'] as string[] | undefined);
      if (!wanted || wanted.length === 0) return null;
      const dictionary = this.dictionaries[f] as Dictionary;
      const mask = new TypedFastBitSet();
      for (const value of wanted) {
        const id = dictionary.ids.get(value);
        if (id !== undefined) mask.union(dictionary.rows[id] as TypedFastBitSet);
      }
      return mask;
    });

    let scores: Map<number, number> | undefined;
    let candidates: TypedFastBitSet;
    const q = query.q?.trim();
    if (q) {
      const hits = this.text.search(q);
      scores = new Map(hits.map((h) => [h.id as number, h.score]));
      candidates = new TypedFastBitSet(hits.map((h) => h.id as number));
    } else {
      candidates = this.all.clone();
    }
    if (hasRanges(query)) {
      for (const i of candidates.array()) if (!this.inRanges(this.rows[i] as Row, query)) candidates.remove(i);
    }

    const matched = candidates.clone();
    for (const mask of masks) if (mask) matched.intersection(mask);
    const facets = {} as Record<Facet, FacetValue[]>;
    FACETS.forEach((facet, f) => {
      // Counts for a facet keep every other filter: the classic disjunctive facet.
      let base = matched;
      if (masks[f]) {
        base = candidates.clone();
        masks.forEach((mask, g) => {
          if (mask && g !== f) base.intersection(mask);
        });
      }
      if (f === acceptingFacet) {
        facets[facet] = [{ value: 'true', label: YES, count: base.intersection_size(this.acceptingOn(now)) }];
        return;
      }
      const dictionary = this.dictionaries[f] as Dictionary;
      const chosen = new Set(
        BOOLEAN_FACETS.includes(facet) ? (masks[f] ? ['true'] : []) : ((query[facet as 'country'] as string[]) ?? []),
      );
      facets[facet] = dictionary.values
        .map((v, id) => ({
          value: v.value,
          label: v.label,
          count: base.intersection_size(dictionary.rows[id] as TypedFastBitSet),
        }))
        .filter((v) => v.count > 0 || chosen.has(v.value))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
        .filter((v, position) => position < FACET_LIMIT || chosen.has(v.value));
    });

    const order = matched.array();
    this.sort(order, query.sort ?? (q ? 'relevance' : 'title'), query.locale ?? 'en', scores);
    const start = (page - 1) * pageSize;
    return {
      total: order.length,
      page,
      pageSize,
      ids: order.slice(start, start + pageSize).map((i) => (this.rows[i] as Row).program.id),
      facets,
    };
  }

  private acceptingOn(now: Date): TypedFastBitSet {
    const day = now.toISOString().slice(0, 10);
    if (this.accepting?.day !== day) {
      const rows = new TypedFastBitSet();
      this.rows.forEach((r, i) => {
        if (isAcceptingOn(r.program.intakeWindows, now)) rows.add(i);
      });
      this.accepting = { day, rows };
    }
    return this.accepting.rows;
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
    const title = this.ranks.title[locale];
    const byTitle = (a: number, b: number) => (title[a] as number) - (title[b] as number);
    const nullsLast = (x: number | null | undefined, y: number | null | undefined) =>
      (x ?? Number.POSITIVE_INFINITY) - (y ?? Number.POSITIVE_INFINITY) || 0;
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
        const university = this.ranks.university[locale];
        indexes.sort((a, b) => (university[a] as number) - (university[b] as number) || byTitle(a, b));
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

function hasRanges(q: CatalogQuery): boolean {
  return (
    q.durationMinYears !== undefined ||
    q.durationMaxYears !== undefined ||
    q.tuitionMin !== undefined ||
    q.tuitionMax !== undefined
  );
}

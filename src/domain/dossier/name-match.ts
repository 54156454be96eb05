import { distance } from 'fastest-levenshtein';
import {
  BGN_PCGN,
  GOST_779,
  GOST_779_ALT,
  GOST_52535,
  ICAO_DOC_9303,
  MVD_310,
  MVD_310_FR,
  MVD_782,
  type Schema,
  translate,
  WIKIPEDIA,
} from 'iuliia';

/**
 * Do the Latin (passport) and Cyrillic (certified translation) names denote the same person (RULES S4-10)?
 * There is no statute for Latin → Cyrillic, so we go the other way: transliterate the Cyrillic with every
 * scheme a passport office or translator plausibly used and compare with the Latin.
 */

export type NameVerdict = 'match' | 'review' | 'mismatch';

export interface NamePartMatch {
  part: 'surname' | 'givenNames';
  latin: string;
  /** The Cyrillic compared: given names, or given names + patronymic when the Latin has an extra word. */
  cyrillic: string;
  verdict: NameVerdict;
  /** The transliteration closest to the Latin, as the scheme writes it (e.g. "Iuliia"). */
  closest: string;
  scheme: string;
  /** 1 − edit distance / longer length, on the normalized forms; rounded to 2 decimals. */
  similarity: number;
}

export interface NameMatch {
  verdict: NameVerdict;
  parts: NamePartMatch[];
}

export interface LatinName {
  surname: string;
  givenNames: string;
}

export interface CyrillicName {
  surname: string;
  givenNames: string;
  patronymic: string | null;
}

/**
 * In order of preference on ties: ICAO Doc 9303 is what Russian passports use since 2012; the older passport
 * rules and the common library/cartographic schemes follow; GOST 7.79 System A (= ISO 9) with its diacritics
 * ignored gives х → h, which is how "Abdullahi" comes back from "Абдуллахи"; MVD 310 French suits
 * francophone applicants ("Iouliia").
 */
export const NAME_SCHEMES: readonly { name: string; schema: Schema }[] = [
  { name: 'ICAO Doc 9303', schema: ICAO_DOC_9303 },
  { name: 'GOST R 52535.1-2006', schema: GOST_52535 },
  { name: 'MVD 782', schema: MVD_782 },
  { name: 'MVD 310', schema: MVD_310 },
  { name: 'BGN/PCGN', schema: BGN_PCGN },
  { name: 'GOST 7.79-2000 System B', schema: GOST_779_ALT },
  { name: 'GOST 7.79-2000 System A (ISO 9)', schema: GOST_779 },
  { name: 'Wikipedia', schema: WIKIPEDIA },
  { name: 'MVD 310 (French)', schema: MVD_310_FR },
];

/**
 * Thresholds of the review band, on normalized Levenshtein similarity (no maintained, typed Jaro–Winkler
 * package was approved). 0.75 lets one wrong letter in four through ("Chukwuemeka" ~ "Chukuemeka": 0.91,
 * "Julia" ~ "Ulia": 0.8); short names get up to two edits if at least 60 % agrees ("Julia" ~ "Yuliya").
 * "Maria" ~ "Yuliya" (4 edits) stays a mismatch.
 */
export const REVIEW_SIMILARITY = 0.75;
export const SHORT_NAME_MAX_EDITS = 2;
export const SHORT_NAME_MIN_SIMILARITY = 0.6;

const VERDICT_RANK: Record<NameVerdict, number> = { match: 0, review: 1, mismatch: 2 };
const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Case, diacritics, hyphens, apostrophes and spaces do not distinguish names ("Abdul-Rahman" = "Abdulrahman"). */
function normalize(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function wordCount(name: string): number {
  return name.split(/[\s-]+/).filter((w) => w.length > 0).length;
}

function verdictFor(edits: number, similarity: number): NameVerdict {
  if (edits === 0) return 'match';
  if (similarity >= REVIEW_SIMILARITY) return 'review';
  if (edits <= SHORT_NAME_MAX_EDITS && similarity >= SHORT_NAME_MIN_SIMILARITY) return 'review';
  return 'mismatch';
}

function matchPart(part: NamePartMatch['part'], latin: string, cyrillicCandidates: readonly string[]): NamePartMatch {
  const target = normalize(latin);
  let best: NamePartMatch | null = null;
  let bestSimilarity = -1;
  for (const cyrillic of cyrillicCandidates) {
    for (const { name, schema } of NAME_SCHEMES) {
      const written = translate(cyrillic, schema);
      // A letter the scheme does not map (BGN/PCGN leaves ё) cannot reproduce anything.
      if (CYRILLIC.test(written)) continue;
      const candidate = normalize(written);
      const edits = distance(target, candidate);
      const similarity = 1 - edits / Math.max(target.length, candidate.length, 1);
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = {
          part,
          latin,
          cyrillic,
          verdict: verdictFor(edits, similarity),
          closest: written,
          scheme: name,
          similarity: Math.round(similarity * 100) / 100,
        };
      }
    }
  }
  return (
    best ?? {
      part,
      latin,
      cyrillic: cyrillicCandidates[0] ?? '',
      verdict: 'mismatch',
      closest: '',
      scheme: '',
      similarity: 0,
    }
  );
}

/**
 * Surname against surname, given names against given names. The patronymic, absent from most foreign
 * passports, is compared only when the Latin given names have an extra word it could account for.
 * The overall verdict is the worst part's.
 */
export function matchNames(latin: LatinName, cyrillic: CyrillicName): NameMatch {
  const givenCandidates = [cyrillic.givenNames];
  if (cyrillic.patronymic !== null && wordCount(latin.givenNames) > wordCount(cyrillic.givenNames)) {
    givenCandidates.push(`${cyrillic.givenNames} ${cyrillic.patronymic}`);
  }
  const parts = [
    matchPart('surname', latin.surname, [cyrillic.surname]),
    matchPart('givenNames', latin.givenNames, givenCandidates),
  ];
  const verdict = parts.reduce<NameVerdict>(
    (worst, p) => (VERDICT_RANK[p.verdict] > VERDICT_RANK[worst] ? p.verdict : worst),
    'match',
  );
  return { verdict, parts };
}

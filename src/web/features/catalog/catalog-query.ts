/**
 * The catalog's whole state lives in the address (?q=…&country=KZ,RU&page=2): shareable, and the back
 * button works. These helpers read it and write changes to it; the API takes the same parameters.
 */
import type { Locale } from '../../api';
import type { Facet } from './catalog-api';

/** Facets chosen from a list of values (several at once, sent as "a,b"). */
export const LIST_FACETS = [
  'country',
  'city',
  'university',
  'level',
  'specialty',
  'language',
  'studyForm',
  'funding',
] as const satisfies readonly Facet[];
export type ListFacet = (typeof LIST_FACETS)[number];

/** Facets that are a single "yes" checkbox (sent as "=true"). */
export const FLAG_FACETS = [
  'languagePreparation',
  'clinicalPractice',
  'exchange',
  'acceptingNow',
] as const satisfies readonly Facet[];
export type FlagFacet = (typeof FLAG_FACETS)[number];

export const RANGE_PARAMS = ['durationMinYears', 'durationMaxYears', 'tuitionMin', 'tuitionMax'] as const;
export type RangeParam = (typeof RANGE_PARAMS)[number];

/** Every parameter the page keeps in the address and passes on to the API. */
const KNOWN = ['q', ...LIST_FACETS, ...FLAG_FACETS, ...RANGE_PARAMS, 'currency', 'sort', 'page', 'pageSize'];

export const PAGE_SIZE = 20;

export function listOf(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** The API query for the page's address: its known parameters, plus the language for sorting titles. */
export function apiQuery(search: string, locale: Locale): URLSearchParams {
  const params = new URLSearchParams(search);
  const query = new URLSearchParams();
  for (const name of KNOWN) {
    const values = params.getAll(name).filter((value) => value.trim() !== '');
    if (values.length > 0) query.set(name, values.join(','));
  }
  if (!query.has('pageSize')) query.set('pageSize', String(PAGE_SIZE));
  query.set('locale', locale);
  return query;
}

/** Whether the address has any filter or search (what "reset" would clear). */
export function hasCriteria(search: string): boolean {
  const params = new URLSearchParams(search);
  return [...params.keys()].some((name) => name !== 'sort' && name !== 'pageSize');
}

/** A changed copy of the address query: null or '' removes a parameter; the page goes back to 1. */
export function withChanges(search: string, changes: Record<string, string | null>, keepPage = false): string {
  const params = new URLSearchParams(search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') params.delete(name);
    else params.set(name, value);
  }
  if (!keepPage && !('page' in changes)) params.delete('page');
  return queryString(params);
}

/** "?a=1&country=KZ,RU": commas left readable, as the API reads them. */
export function queryString(params: URLSearchParams): string {
  const text = params.toString().replace(/%2C/gi, ',');
  return text ? `?${text}` : '';
}

/** The address with one value of a list facet turned on or off. */
export function toggleListValue(search: string, facet: ListFacet, value: string, on: boolean): string {
  const current = listOf(new URLSearchParams(search), facet).filter((item) => item !== value);
  if (on) current.push(value);
  return withChanges(search, { [facet]: current.length > 0 ? current.join(',') : null });
}

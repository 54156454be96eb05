import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES, type FacetValue, type SearchResult } from './catalog-api';
import {
  FLAG_FACETS,
  LIST_FACETS,
  type ListFacet,
  listOf,
  RANGE_PARAMS,
  toggleListValue,
  withChanges,
} from './catalog-query';
import { localeOf, pick } from './format';

interface FiltersProps {
  search: string;
  facets: SearchResult['facets'] | null;
  /** Goes to the catalog with this query string. */
  go: (query: string) => void;
}

/** The facet's values from the answer, plus chosen values it no longer lists (shown with 0). */
function valuesOf(facets: FiltersProps['facets'], facet: ListFacet, chosen: string[]): FacetValue[] {
  const listed = facets?.[facet] ?? [];
  const missing = chosen
    .filter((value) => !listed.some((item) => item.value === value))
    .map((value) => ({ value, label: { en: value, ru: value }, count: 0 }));
  return [...listed, ...missing];
}

function FacetGroup({ facet, search, facets, go }: FiltersProps & { facet: ListFacet }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const chosen = listOf(new URLSearchParams(search), facet);
  const values = valuesOf(facets, facet, chosen);
  if (values.length === 0) return null;
  return (
    <fieldset className="filter-group">
      <legend>{t(`catalog.filters.${facet}`)}</legend>
      {values.map((item) => {
        const label = facet === 'specialty' ? `${pick(item.label, locale)} · ${item.value}` : pick(item.label, locale);
        const checked = chosen.includes(item.value);
        return (
          <label key={item.value} className={`check${item.count === 0 && !checked ? ' check-empty' : ''}`}>
            <input
              type="checkbox"
              data-testid={`filter-${facet}-${item.value}`}
              checked={checked}
              onChange={(event) => go(toggleListValue(search, facet, item.value, event.target.checked))}
            />
            <span>{label}</span>
            <span className="check-count">{item.count}</span>
          </label>
        );
      })}
    </fieldset>
  );
}

function FlagGroup({ search, facets, go }: FiltersProps) {
  const { t } = useTranslation();
  const params = new URLSearchParams(search);
  return (
    <fieldset className="filter-group">
      <legend>{t('catalog.filters.features')}</legend>
      {FLAG_FACETS.map((facet) => {
        const checked = params.get(facet) === 'true';
        const count = facets?.[facet].find((item) => item.value === 'true')?.count ?? 0;
        return (
          <label key={facet} className={`check${count === 0 && !checked ? ' check-empty' : ''}`}>
            <input
              type="checkbox"
              data-testid={`filter-${facet}-true`}
              checked={checked}
              onChange={(event) => go(withChanges(search, { [facet]: event.target.checked ? 'true' : null }))}
            />
            <span>{t(`catalog.filters.${facet}`)}</span>
            <span className="check-count">{count}</span>
          </label>
        );
      })}
    </fieldset>
  );
}

/** Duration and tuition ranges: typed, then applied together (Enter or the button). */
function Ranges({ search, go }: Omit<FiltersProps, 'facets'>) {
  const { t } = useTranslation();
  const id = useId();
  const params = new URLSearchParams(search);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries([...RANGE_PARAMS, 'currency'].map((name) => [name, params.get(name) ?? ''])),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const change = (name: string, value: string) => setValues((current) => ({ ...current, [name]: value }));
  const below = (min: string, max: string) => min !== '' && max !== '' && Number(min) > Number(max);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const v = values as Record<(typeof RANGE_PARAMS)[number] | 'currency', string>;
    if (below(v.durationMinYears, v.durationMaxYears) || below(v.tuitionMin, v.tuitionMax)) {
      setProblem('catalog.filters.rangeOrder');
    } else if ((v.tuitionMin !== '' || v.tuitionMax !== '') && v.currency === '') {
      setProblem('catalog.filters.currencyNeeded');
    } else {
      setProblem(null);
      go(withChanges(search, values));
    }
  };

  const number = (name: string, label: string, max: number) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        name={name}
        type="number"
        min={0}
        max={max}
        step="any"
        inputMode="decimal"
        value={values[name] ?? ''}
        onChange={(event) => change(name, event.target.value)}
        aria-describedby={problem ? `${id}-problem` : undefined}
      />
    </div>
  );

  return (
    <form className="filter-ranges" onSubmit={apply} noValidate>
      <fieldset className="filter-group">
        <legend>{t('catalog.filters.durationYears')}</legend>
        <div className="range-row">
          {number('durationMinYears', t('catalog.filters.from'), 10)}
          {number('durationMaxYears', t('catalog.filters.to'), 10)}
        </div>
      </fieldset>
      <fieldset className="filter-group">
        <legend>{t('catalog.filters.tuition')}</legend>
        <div className="range-row">
          {number('tuitionMin', t('catalog.filters.from'), 100_000_000)}
          {number('tuitionMax', t('catalog.filters.to'), 100_000_000)}
        </div>
        <div className="field">
          <label htmlFor={`${id}-currency`}>{t('catalog.filters.currency')}</label>
          <select
            id={`${id}-currency`}
            name="currency"
            value={values.currency ?? ''}
            onChange={(event) => change('currency', event.target.value)}
          >
            <option value="">{t('catalog.filters.anyCurrency')}</option>
            {CURRENCIES.map((currency) => (
              <option key={currency} value={currency}>
                {currency}
              </option>
            ))}
          </select>
        </div>
        <p className="field-hint">{t('catalog.filters.tuitionHint')}</p>
      </fieldset>
      {problem && (
        <p className="field-error" id={`${id}-problem`} role="alert">
          {t(problem)}
        </p>
      )}
      <button type="submit" className="button button-secondary">
        {t('catalog.filters.apply')}
      </button>
    </form>
  );
}

/** Every filter of the catalog, with how many programs each choice would give. */
export function Filters({ search, facets, go }: FiltersProps) {
  const rangeKey = RANGE_PARAMS.map((name) => new URLSearchParams(search).get(name) ?? '').join('|');
  const currencyKey = new URLSearchParams(search).get('currency') ?? '';
  return (
    <>
      {LIST_FACETS.map((facet) => (
        <FacetGroup key={facet} facet={facet} search={search} facets={facets} go={go} />
      ))}
      <FlagGroup search={search} facets={facets} go={go} />
      {/* Keyed by the address so back/forward and "reset" show the ranges in force. */}
      <Ranges key={`${rangeKey}|${currencyKey}`} search={search} go={go} />
    </>
  );
}

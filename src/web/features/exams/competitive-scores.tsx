/** The campaign's competitive scores: ranked by their tuples (main score, then tie-breaks), with the reasons. */
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { describeError } from '../../ui/errors';
import { FormError } from '../../ui/form';
import type { Text } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { reviewsApi } from '../reviews/reviews-api';
import { formatNumber } from '../reviews/score-model';
import { type CompetitiveItem, type ExamSlot, examsApi } from './exams-api';

const KNOWN = new Set([
  'rubric_missing',
  'exams_missing',
  'exam_absent',
  'exam_failed',
  'main_rubric',
  'main_exams',
  'main_weighted',
  'tie_break_exam',
  'tie_break_criterion',
]);

/** Higher first; a shorter tuple counts its missing places as −1 (src/domain/scoring/competitive-score.ts). */
function compareTuples(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (b[i] ?? -1) - (a[i] ?? -1);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

function explain(
  e: CompetitiveItem['explanation'][number],
  names: { exam: (id: string) => string; criterion: (id: string) => string },
  t: TFunction,
  locale: Locale,
): string {
  if (!KNOWN.has(e.code)) return t('exams.scores.other', { code: e.code });
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(e.params)) {
    values[name] = typeof value === 'number' ? formatNumber(value, locale) : value;
  }
  if (typeof e.params.slotId === 'string') values.exam = names.exam(e.params.slotId);
  if (typeof e.params.criterionId === 'string') values.criterion = names.criterion(e.params.criterionId);
  if (e.params.value === -1) values.value = t('exams.scores.noValue');
  if (typeof e.params.count === 'number') values.count = e.params.count;
  return t(`exams.scores.explain.${e.code}`, values);
}

export function CompetitiveScores({ slug, slots, refresh }: { slug: string; slots: ExamSlot[]; refresh: number }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [version, setVersion] = useState(0);
  const scores = useResource(`${slug}:${version}:${refresh}`, (signal) => examsApi.competitive(slug, signal));
  const rubric = useResource(slug, (signal) => reviewsApi.rubric(slug, signal));
  const titles = new Map<string, Text>(slots.map((s) => [s.id, s.title]));
  for (const c of rubric.data?.rubric?.criteria ?? []) titles.set(`criterion:${c.id}`, c.label);
  const names = {
    exam: (id: string) => {
      const title = titles.get(id);
      return title ? pick(title, locale) : id;
    },
    criterion: (id: string) => {
      const title = titles.get(`criterion:${id}`);
      return title ? pick(title, locale) : id;
    },
  };
  const items = [...(scores.data?.items ?? [])].sort(
    (a, b) => Number(b.eligible) - Number(a.eligible) || compareTuples(a.tuple, b.tuple),
  );
  let rank = 0;

  return (
    <section className="panel" aria-labelledby="competitive-title">
      <div className="section-head">
        <h2 id="competitive-title">{t('exams.scores.title')}</h2>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => setVersion((n) => n + 1)}
          disabled={scores.loading}
          data-testid="competitive-refresh"
        >
          {t('exams.scores.refresh')}
        </button>
      </div>
      <p className="field-hint">{t('exams.scores.lead')}</p>
      {scores.error ? (
        <FormError error={describeError(scores.error, []).general} />
      ) : !scores.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty" data-testid="competitive-scores">
          {t('exams.scores.none')}
        </p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" tabIndex={0} aria-labelledby="competitive-title">
          <table
            className="table competitive-table"
            data-testid="competitive-scores"
            aria-busy={scores.loading || undefined}
          >
            <caption className="visually-hidden">{t('exams.scores.caption')}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {t('exams.scores.rank')}
                </th>
                <th scope="col">{t('exams.grid.applicant')}</th>
                <th scope="col" className="numeric">
                  {t('exams.scores.score')}
                </th>
                <th scope="col" className="numeric">
                  {t('exams.scores.tieBreaks')}
                </th>
                <th scope="col">{t('exams.scores.how')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                if (item.eligible) rank++;
                return (
                  <tr
                    key={item.applicationNumber}
                    data-testid={`competitive-${item.applicationNumber}`}
                    data-eligible={item.eligible}
                  >
                    <td className="numeric">{item.eligible ? rank : '—'}</td>
                    <td>
                      <strong>{item.applicationNumber}</strong>
                      <div>{item.fullName}</div>
                      {!item.eligible && <span className="badge badge-bad">{t('exams.scores.notRanked')}</span>}
                    </td>
                    <td className="numeric">
                      <strong>{formatNumber(item.tuple[0] ?? 0, locale)}</strong>
                    </td>
                    <td className="numeric">
                      {item.tuple.length > 1
                        ? item.tuple
                            .slice(1)
                            .map((v) => (v === -1 ? '—' : formatNumber(v, locale)))
                            .join(' · ')
                        : '—'}
                    </td>
                    <td>
                      <ul className="compact-list">
                        {item.explanation.map((e) => (
                          <li key={`${e.code}:${JSON.stringify(e.params)}`}>{explain(e, names, t, locale)}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

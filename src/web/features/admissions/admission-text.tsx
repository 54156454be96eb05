/** Wording shared by the ranked lists, the applicant's admission page and the office: states, scores, hashes. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { formatDateTime } from '../../ui/dates';
import { localeOf } from '../catalog/format';
import type { Cutoff, EntryState, MyChoice } from './admissions-api';

const number = (value: number, locale: Locale) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);

/** "245 / 80": the score tuple, main score first, then the tie-breaks. */
export function formatScore(score: readonly number[], locale: Locale): string {
  return score.length === 0 ? '—' : score.map((v) => number(v, locale)).join(' / ');
}

/** "245 / 80 (lottery 12)", or "—" when the list has no cutoff (not full). */
export function formatCutoff(cutoff: Cutoff | null, t: TFunction, locale: Locale): string {
  if (!cutoff) return '—';
  return t('admission.cutoffValue', { score: formatScore(cutoff.score, locale), lottery: cutoff.lottery });
}

function sameScore(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const BADGE: Record<EntryState, string> = {
  admitted: 'badge-good',
  confirmed: 'badge-good',
  admitted_higher: 'badge-muted',
  waiting: 'badge-wait',
  not_admitted: 'badge-bad',
};

export function StateBadge({ state }: { state: EntryState | null }) {
  const { t } = useTranslation();
  if (!state) return <span className="badge badge-muted">{t('admission.state.none')}</span>;
  return (
    <span className={`badge ${BADGE[state]}`} data-testid="entry-state" data-state={state}>
      {t(`admission.state.${state}`)}
    </span>
  );
}

/** Why the applicant stands where they do on one priority, in words built from the published data. */
export function explainChoice(choice: MyChoice, t: TFunction, locale: Locale): string {
  switch (choice.state) {
    case null:
      return t('admission.explain.notRanked');
    case 'admitted':
      return t('admission.explain.admitted');
    case 'confirmed':
      return t('admission.explain.confirmed');
    case 'admitted_higher':
      return t('admission.explain.admittedHigher');
    case 'not_admitted': {
      const reason = choice.reason ?? 'ineligible';
      const key = `admission.reasons.${reason}`;
      return t('admission.explain.notAdmitted', { reason: t(key, { defaultValue: reason }) });
    }
    case 'waiting': {
      const { cutoff, yours } = choice;
      if (!cutoff || !yours) return t('admission.explain.waitingNoCutoff');
      if (sameScore(cutoff.score, yours.score)) {
        return t('admission.explain.waitingTie', {
          cutoff: formatScore(cutoff.score, locale),
          yours: formatScore(yours.score, locale),
          cutoffLottery: cutoff.lottery,
          yourLottery: yours.lottery,
        });
      }
      return t('admission.explain.waiting', {
        cutoff: formatScore(cutoff.score, locale),
        yours: formatScore(yours.score, locale),
      });
    }
  }
}

/** The first characters of a SHA-256, the full value in the tooltip and for screen readers to copy. */
export function ShortHash({ value, testId }: { value: string; testId?: string }) {
  return (
    <code className="hash" title={value} data-testid={testId} data-full={value}>
      {value.slice(0, 12)}…
    </code>
  );
}

/** "30 August 2026, 12:00 GMT+3 (UTC 2026-08-30 09:00)": local time, with the server's UTC instant. */
export function ServerTime({ iso, testId }: { iso: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const utc = iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
  return (
    <span data-testid={testId}>
      <time dateTime={iso}>{formatDateTime(iso, locale)}</time>{' '}
      <span className="field-hint utc-note">{t('admission.utcNote', { time: utc })}</span>
    </span>
  );
}

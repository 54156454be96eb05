/** Why the automatic pre-score filled a criterion so, in words (codes of src/domain/scoring/prescore.ts). */
import type { TFunction } from 'i18next';
import type { Locale } from '../../api';
import { formatDate } from '../../ui/dates';
import type { Provenance } from './reviews-api';
import { formatNumber } from './score-model';

const KNOWN = new Set([
  'grade_from_latest_education',
  'grade_from_latest_education_clamped',
  'no_graded_education',
  'grade_not_convertible',
  'achievements',
  'language_certificates',
  'recommendations',
  'motivation_letter',
  'volunteering',
  'world_ranking',
  'no_world_ranking',
  'olympiad',
  'olympiad_status_not_in_rubric',
  'manual',
]);

function olympiadStatus(status: unknown, t: TFunction): string {
  const known = status === 'none' || status === 'winner' || status === 'prize_winner';
  return known ? t(`dossier.olympiad.values.${status}`).toLocaleLowerCase() : String(status ?? '');
}

/** "0–5, pass 1.5" as the server writes a grade's scale, in the reader's words and number format. */
function scaleText(scale: unknown, t: TFunction, locale: Locale): string {
  const text = String(scale ?? '');
  const match = /^(-?[\d.]+)–(-?[\d.]+), pass (-?[\d.]+)$/.exec(text);
  if (!match) return text;
  const [, min, max, pass] = match.map(Number);
  return t('reviews.provenance.scale', {
    min: formatNumber(min ?? 0, locale),
    max: formatNumber(max ?? 0, locale),
    pass: formatNumber(pass ?? 0, locale),
  });
}

export function provenanceText(provenance: Provenance | undefined, t: TFunction, locale: Locale): string {
  if (!provenance) return t('reviews.provenance.none');
  const p = provenance.params;
  const num = (value: unknown) => (typeof value === 'number' ? formatNumber(value, locale) : String(value ?? ''));
  if (!KNOWN.has(provenance.code)) return t('reviews.provenance.other', { code: provenance.code });
  return t(`reviews.provenance.${provenance.code}`, {
    ...p,
    grade: num(p.grade),
    fivePoint: num(p.fivePoint),
    value: num(p.value),
    finishedOn: typeof p.finishedOn === 'string' && p.finishedOn ? formatDate(p.finishedOn, locale) : '—',
    characters: num(p.characters),
    position: num(p.position),
    names: String(p.names ?? ''),
    scale: scaleText(p.scale, t, locale),
    status: olympiadStatus(p.status, t),
  });
}

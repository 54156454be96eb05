/** Education entries: institution, level, field, document language and the grade on its own scale. */
import { useTranslation } from 'react-i18next';
import { localeOf } from '../catalog/format';
import { type ConvertedGrade, EDUCATION_FIELDS, EDUCATION_LEVELS, type Education } from './dossier-api';
import { CountrySelect, LanguageSelect, RemoveButton, SelectField, TextField } from './dossier-fields';
import type { Row } from './dossier-model';

const MAX_ENTRIES = 10;

function number(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

/** The saved grade's value on the 5-point scale and the rule that produced it; stale once the grade is edited. */
function Conversion({
  row,
  saved,
  grade,
}: {
  row: Row;
  saved: Education | undefined;
  grade: ConvertedGrade | undefined;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const v = row.values;
  const unchanged =
    saved?.grade &&
    (['value', 'min', 'pass', 'max'] as const).every((part) => Number(v[`grade.${part}`]) === saved.grade?.[part]);
  const [min, pass, max] = grade?.anchors ?? [];
  return (
    <div className="grade-conversion" aria-live="polite" data-testid={`grade-conversion-${row.values.id}`}>
      {grade && unchanged && min && pass && max ? (
        <>
          <p>
            {t('dossier.education.converted')} <strong>{number(grade.fivePoint, locale)}</strong>
          </p>
          <p className="field-hint">
            {t('dossier.education.rule', {
              min: number(min.from, locale),
              pass: number(pass.from, locale),
              max: number(max.from, locale),
            })}
          </p>
        </>
      ) : (
        <p className="field-hint">{t('dossier.education.convertAfterSave')}</p>
      )}
    </div>
  );
}

export function EducationSection({
  rows,
  onAdd,
  onRemove,
  grades,
  saved,
}: {
  rows: Row[];
  onAdd: () => void;
  onRemove: (index: number) => void;
  grades: ConvertedGrade[];
  saved: Education[];
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-rows" id="dossier-education">
      <legend>{t('dossier.education.title')}</legend>
      <p className="field-hint">{t('dossier.education.hint')}</p>
      {rows.length === 0 && <p className="empty">{t('dossier.education.none')}</p>}
      {rows.map((row, index) => {
        const path = `education.${index}`;
        const n = index + 1;
        const id = row.values.id ?? '';
        return (
          <fieldset key={row.key} className="edit-row" data-testid="education-row">
            <legend>
              {t('dossier.education.entry', { n })}
              {row.values.institution ? ` — ${row.values.institution}` : ''}
            </legend>
            <TextField path={`${path}.institution`} label={t('dossier.education.institution')} />
            <div className="edit-row-grid">
              <CountrySelect
                path={`${path}.country`}
                label={t('dossier.education.country')}
                empty={t('dossier.chooseCountry')}
              />
              <LanguageSelect
                path={`${path}.documentLanguage`}
                label={t('dossier.education.documentLanguage')}
                hint={t('dossier.education.documentLanguageHint')}
              />
            </div>
            <div className="edit-row-grid">
              <SelectField path={`${path}.level`} label={t('dossier.education.level')}>
                {EDUCATION_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {t(`dossier.educationLevels.${level}`)}
                  </option>
                ))}
              </SelectField>
              <SelectField path={`${path}.field`} label={t('dossier.education.field')}>
                {EDUCATION_FIELDS.map((field) => (
                  <option key={field} value={field}>
                    {t(`dossier.educationFields.${field}`)}
                  </option>
                ))}
              </SelectField>
            </div>
            <TextField
              path={`${path}.title`}
              label={t('dossier.education.qualification')}
              hint={t('dossier.education.qualificationHint')}
            />
            <div className="edit-row-grid">
              <TextField path={`${path}.startedOn`} type="date" label={t('dossier.education.startedOn')} />
              <TextField path={`${path}.finishedOn`} type="date" label={t('dossier.education.finishedOn')} />
            </div>
            <fieldset className="edit-row grade-row">
              <legend>{t('dossier.education.grade')}</legend>
              <p className="field-hint row-hint">{t('dossier.education.gradeHint')}</p>
              <div className="edit-row-grid grade-grid">
                {(['value', 'min', 'pass', 'max'] as const).map((part) => (
                  <TextField
                    key={part}
                    path={`${path}.grade.${part}`}
                    type="number"
                    step="any"
                    inputMode="decimal"
                    label={t(`dossier.education.gradeParts.${part}`)}
                  />
                ))}
              </div>
              <Conversion
                row={row}
                saved={saved.find((e) => e.id === id)}
                grade={grades.find((g) => g.educationId === id)}
              />
            </fieldset>
            <TextField
              path={`${path}.worldRankingPosition`}
              type="number"
              inputMode="numeric"
              min={1}
              label={t('dossier.education.ranking')}
              hint={t('dossier.education.rankingHint')}
            />
            <RemoveButton label={t('dossier.education.remove', { n })} onClick={() => onRemove(index)} />
          </fieldset>
        );
      })}
      {rows.length < MAX_ENTRIES && (
        <button type="button" className="button button-secondary" onClick={onAdd} data-testid="add-education">
          {t('dossier.education.add')}
        </button>
      )}
    </fieldset>
  );
}

/** The repeating parts of the edit form: duration rules, application windows, sources. */
import { useTranslation } from 'react-i18next';
import type { Message } from '../../ui/errors';
import { Field } from '../../ui/form';
import { STUDY_FORMS } from './catalog-api';
import { CheckGroup, SelectField } from './edit-controls';
import { type DurationRow, rowKey, SOURCE_FIELDS, type SourceRow, type WindowRow } from './edit-model';

type Errors = Record<string, Message>;

interface RowsProps<T> {
  rows: T[];
  onChange: (rows: T[]) => void;
  errors: Errors;
}

function update<T>(rows: T[], index: number, patch: Partial<T>): T[] {
  return rows.map((row, i) => (i === index ? { ...row, ...patch } : row));
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button button-quiet row-remove" aria-label={label} onClick={onClick}>
      {t('catalog.edit.remove')}
    </button>
  );
}

export function DurationRows({ rows, onChange, errors }: RowsProps<DurationRow>) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-rows">
      <legend>{t('catalog.edit.durations')}</legend>
      <p className="field-hint">{t('catalog.edit.durationsHint')}</p>
      {rows.map((row, index) => {
        const path = `durations.${index}`;
        const set = (patch: Partial<DurationRow>) => onChange(update(rows, index, patch));
        const n = index + 1;
        return (
          <fieldset key={row.key} className="edit-row" data-testid="duration-row">
            <legend>{t('catalog.edit.durationRow', { n })}</legend>
            <div className="edit-row-grid">
              {(['from', 'to', 'min', 'max'] as const).map((part) => {
                const name = `${path}.${{ from: 'fromIntakeYear', to: 'toIntakeYear', min: 'minMonths', max: 'maxMonths' }[part]}`;
                return (
                  <Field
                    key={part}
                    name={name}
                    type="number"
                    inputMode="numeric"
                    label={t(`catalog.edit.duration.${part}`)}
                    value={row[part]}
                    onChange={(event) => set({ [part]: event.target.value })}
                    error={errors[name]}
                  />
                );
              })}
            </div>
            <Field
              name={`${path}.source`}
              label={t('catalog.edit.source')}
              value={row.source}
              onChange={(event) => set({ source: event.target.value })}
              error={errors[`${path}.source`]}
            />
            <RemoveButton
              label={t('catalog.edit.removeDuration', { n })}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange([...rows, { key: rowKey(), from: '', to: '', min: '', max: '', source: '' }])}
      >
        {t('catalog.edit.addDuration')}
      </button>
    </fieldset>
  );
}

export function WindowRows({ rows, onChange, errors }: RowsProps<WindowRow>) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-rows">
      <legend>{t('catalog.fields.intakeWindows')}</legend>
      {rows.map((row, index) => {
        const path = `intakeWindows.${index}`;
        const set = (patch: Partial<WindowRow>) => onChange(update(rows, index, patch));
        const n = index + 1;
        return (
          <fieldset key={row.key} className="edit-row" data-testid="window-row">
            <legend>{t('catalog.edit.windowRow', { n })}</legend>
            <SelectField
              name={`${path}.yearRound`}
              label={t('catalog.edit.windowKind')}
              value={row.yearRound ? 'yes' : 'no'}
              onChange={(value) => set({ yearRound: value === 'yes' })}
              error={errors[path] ?? errors[`${path}.yearRound`]}
            >
              <option value="no">{t('catalog.edit.windowDates')}</option>
              <option value="yes">{t('catalog.window.yearRound')}</option>
            </SelectField>
            {!row.yearRound && (
              <>
                <div className="edit-row-grid">
                  {(['opens', 'closes'] as const).map((part) => (
                    <Field
                      key={part}
                      name={`${path}.${part}`}
                      label={t(`catalog.edit.${part}`)}
                      hint={t('catalog.edit.monthDayHint')}
                      placeholder="06-20"
                      inputMode="numeric"
                      pattern="\d{2}-\d{2}"
                      value={row[part]}
                      onChange={(event) => set({ [part]: event.target.value })}
                      error={errors[`${path}.${part}`]}
                    />
                  ))}
                </div>
                <CheckGroup
                  name={`${path}.studyForms`}
                  legend={t('catalog.edit.windowForms')}
                  options={STUDY_FORMS}
                  labelOf={(form) => t(`catalog.enums.studyForm.${form}`)}
                  value={row.studyForms}
                  onChange={(studyForms) => set({ studyForms })}
                  error={errors[`${path}.studyForms`]}
                />
              </>
            )}
            <Field
              name={`${path}.source`}
              label={t('catalog.edit.source')}
              value={row.source}
              onChange={(event) => set({ source: event.target.value })}
              error={errors[`${path}.source`]}
            />
            <RemoveButton
              label={t('catalog.edit.removeWindow', { n })}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() =>
          onChange([...rows, { key: rowKey(), yearRound: false, opens: '', closes: '', studyForms: [], source: '' }])
        }
      >
        {t('catalog.edit.addWindow')}
      </button>
    </fieldset>
  );
}

export function SourceRows({ rows, onChange, errors }: RowsProps<SourceRow>) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-rows">
      <legend>{t('catalog.edit.sources')}</legend>
      <p className="field-hint">{t('catalog.edit.sourcesHint')}</p>
      {errors.sources && <p className="field-error">{t(errors.sources.key, errors.sources.values)}</p>}
      {rows.map((row, index) => {
        const set = (patch: Partial<SourceRow>) => onChange(update(rows, index, patch));
        const known = (SOURCE_FIELDS as readonly string[]).includes(row.field);
        const n = index + 1;
        return (
          <div key={row.key} className="edit-row edit-row-inline" data-testid="source-row">
            <SelectField
              name={`sourceField.${index}`}
              label={t('catalog.edit.sourceField', { n })}
              value={row.field}
              onChange={(field) => set({ field })}
              error={errors[`sourceField.${index}`]}
            >
              <option value="">{t('catalog.edit.chooseField')}</option>
              {!known && row.field !== '' && <option value={row.field}>{row.field}</option>}
              {SOURCE_FIELDS.map((field) => (
                <option key={field} value={field}>
                  {t(`catalog.sourceFields.${field}`)}
                </option>
              ))}
            </SelectField>
            <Field
              name={`sources.${row.field}`}
              label={t('catalog.edit.sourceValue', { n })}
              value={row.source}
              onChange={(event) => set({ source: event.target.value })}
              error={errors[`sources.${row.field}`]}
            />
            <RemoveButton
              label={t('catalog.edit.removeSource', { n })}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            />
          </div>
        );
      })}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => onChange([...rows, { key: rowKey(), field: '', source: '' }])}
      >
        {t('catalog.edit.addSource')}
      </button>
    </fieldset>
  );
}

/** Sections of the program edit form: study facts, tuition, texts. */
import { useTranslation } from 'react-i18next';
import type { Message } from '../../ui/errors';
import { Field } from '../../ui/form';
import { CURRENCIES, FUNDING_KINDS, LANGUAGES, STUDY_FORMS, TUITION_PERIODS } from './catalog-api';
import { CheckGroup, SelectField, TextArea, TriField } from './edit-controls';
import type { EditState } from './edit-model';

export interface SectionProps {
  state: EditState;
  set: <K extends keyof EditState>(key: K, value: EditState[K]) => void;
  placed: (name: string) => Message | undefined;
}

/** Languages, study forms, funding and the yes/no facts applicants weigh. */
export function StudySection({ state, set, placed }: SectionProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-section">
      <legend>{t('catalog.edit.study')}</legend>
      <CheckGroup
        name="languages"
        legend={t('catalog.fields.languages')}
        options={LANGUAGES}
        labelOf={(v) => t(`catalog.enums.language.${v}`)}
        value={state.languages}
        onChange={(v) => set('languages', v)}
        error={placed('languages')}
      />
      <TriField
        name="languagePreparation"
        label={t('catalog.fields.languagePreparation')}
        value={state.languagePreparation}
        onChange={(v) => set('languagePreparation', v)}
        error={placed('languagePreparation')}
      />
      <CheckGroup
        name="studyForms"
        legend={t('catalog.fields.studyForms')}
        options={STUDY_FORMS}
        labelOf={(v) => t(`catalog.enums.studyForm.${v}`)}
        value={state.studyForms}
        onChange={(v) => set('studyForms', v)}
        error={placed('studyForms')}
      />
      <CheckGroup
        name="fundingKinds"
        legend={t('catalog.fields.funding')}
        options={FUNDING_KINDS}
        labelOf={(v) => t(`catalog.enums.funding.${v}`)}
        value={state.fundingKinds}
        onChange={(v) => set('fundingKinds', v)}
        error={placed('fundingKinds')}
      />
      <TriField
        name="clinicalPractice"
        label={t('catalog.fields.clinicalPractice')}
        value={state.clinicalPractice}
        onChange={(v) => set('clinicalPractice', v)}
        error={placed('clinicalPractice')}
      />
      <TriField
        name="exchangePrograms"
        label={t('catalog.fields.exchangePrograms')}
        value={state.exchangePrograms}
        onChange={(v) => set('exchangePrograms', v)}
        error={placed('exchangePrograms')}
      />
    </fieldset>
  );
}

/** Tuition: stated (amount, currency, period) or not. */
export function TuitionSection({ state, set, placed }: SectionProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-section">
      <legend>{t('catalog.fields.tuition')}</legend>
      <SelectField
        name="tuitionStated"
        label={t('catalog.edit.tuitionStated')}
        value={state.tuitionStated ? 'yes' : 'no'}
        onChange={(v) => set('tuitionStated', v === 'yes')}
      >
        <option value="no">{t('catalog.notStated')}</option>
        <option value="yes">{t('catalog.edit.tuitionKnown')}</option>
      </SelectField>
      {state.tuitionStated && (
        <div className="edit-row-grid">
          <Field
            name="tuition.amount"
            type="number"
            inputMode="decimal"
            min={0}
            label={t('catalog.edit.amount')}
            value={state.tuitionAmount}
            onChange={(ev) => set('tuitionAmount', ev.target.value)}
            error={placed('tuition.amount')}
          />
          <SelectField
            name="tuition.currency"
            label={t('catalog.filters.currency')}
            value={state.tuitionCurrency}
            onChange={(v) => set('tuitionCurrency', v as EditState['tuitionCurrency'])}
            error={placed('tuition.currency')}
          >
            {CURRENCIES.map((currency) => (
              <option key={currency} value={currency}>
                {currency}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="tuition.period"
            label={t('catalog.edit.period')}
            value={state.tuitionPeriod}
            onChange={(v) => set('tuitionPeriod', v as EditState['tuitionPeriod'])}
            error={placed('tuition.period')}
          >
            {TUITION_PERIODS.map((period) => (
              <option key={period} value={period}>
                {t(`catalog.edit.periods.${period}`)}
              </option>
            ))}
          </SelectField>
        </div>
      )}
    </fieldset>
  );
}

/** Entrance exams and notes, in both languages. */
export function TextsSection({ state, set, placed }: SectionProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-section">
      <legend>{t('catalog.edit.texts')}</legend>
      <TextArea
        name="entranceExams.en"
        lang="en"
        label={t('catalog.edit.examsEn')}
        value={state.examsEn}
        onChange={(v) => set('examsEn', v)}
        error={placed('entranceExams.en')}
      />
      <TextArea
        name="entranceExams.ru"
        lang="ru"
        label={t('catalog.edit.examsRu')}
        value={state.examsRu}
        onChange={(v) => set('examsRu', v)}
        error={placed('entranceExams.ru')}
      />
      <TextArea
        name="notes.en"
        lang="en"
        label={t('catalog.edit.notesEn')}
        value={state.notesEn}
        onChange={(v) => set('notesEn', v)}
        error={placed('notes.en')}
      />
      <TextArea
        name="notes.ru"
        lang="ru"
        label={t('catalog.edit.notesRu')}
        value={state.notesRu}
        onChange={(v) => set('notesRu', v)}
        error={placed('notes.ru')}
      />
    </fieldset>
  );
}

/** The rest of the dossier: internship, language certificates, portfolio (achievements, olympiad, recommendations), letters. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { OLYMPIAD } from './dossier-api';
import {
  LanguageSelect,
  RemoveButton,
  SelectField,
  TextAreaField,
  TextField,
  TriSelect,
  useBinding,
} from './dossier-fields';
import type { ListName, Row } from './dossier-model';

export interface ListProps {
  rows: Row[];
  onAdd: (list: ListName) => void;
  onRemove: (list: ListName, index: number) => void;
}

export function InternshipSection() {
  const { t } = useTranslation();
  const { get } = useBinding();
  const stated = get('internship.completed') !== '';
  return (
    <fieldset className="edit-section" id="dossier-internship">
      <legend>{t('dossier.internship.title')}</legend>
      <TriSelect
        path="internship.completed"
        label={t('dossier.internship.completed')}
        hint={t('dossier.internship.hint')}
      />
      {stated && (
        <div className="edit-row-grid">
          <TextField path="internship.institution" label={t('dossier.internship.institution')} />
          <TextField path="internship.finishedOn" type="date" label={t('dossier.internship.finishedOn')} />
        </div>
      )}
    </fieldset>
  );
}

/** One repeating list: its entries, each in a fieldset with a remove button, and an add button below. */
function EntryList({
  list,
  title,
  hint,
  entryLabel,
  addLabel,
  max,
  rows,
  onAdd,
  onRemove,
  render,
}: ListProps & {
  list: ListName;
  title: string;
  hint?: string;
  entryLabel: (n: number) => string;
  addLabel: string;
  max: number;
  render: (path: string) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-rows" id={`dossier-${list}`}>
      <legend>{title}</legend>
      {hint && <p className="field-hint">{hint}</p>}
      {rows.map((row, index) => (
        <fieldset key={row.key} className="edit-row">
          <legend>{entryLabel(index + 1)}</legend>
          {render(`${list}.${index}`)}
          <RemoveButton
            label={t('dossier.removeEntry', { entry: entryLabel(index + 1) })}
            onClick={() => onRemove(list, index)}
          />
        </fieldset>
      ))}
      {rows.length < max && (
        <button type="button" className="button button-secondary" onClick={() => onAdd(list)}>
          {addLabel}
        </button>
      )}
    </fieldset>
  );
}

export function CertificatesSection(props: ListProps) {
  const { t } = useTranslation();
  return (
    <EntryList
      {...props}
      list="languageCertificates"
      title={t('dossier.certificates.title')}
      hint={t('dossier.certificates.hint')}
      entryLabel={(n) => t('dossier.certificates.entry', { n })}
      addLabel={t('dossier.certificates.add')}
      max={10}
      render={(path) => (
        <div className="edit-row-grid">
          <LanguageSelect path={`${path}.language`} label={t('dossier.certificates.language')} />
          <TextField
            path={`${path}.name`}
            label={t('dossier.certificates.name')}
            hint={t('dossier.certificates.nameHint')}
          />
          <TextField
            path={`${path}.level`}
            label={t('dossier.certificates.level')}
            hint={t('dossier.certificates.levelHint')}
          />
          <TextField path={`${path}.issuedOn`} type="date" label={t('dossier.certificates.issuedOn')} />
        </div>
      )}
    />
  );
}

export function PortfolioSection({
  achievements,
  recommendations,
  onAdd,
  onRemove,
}: Omit<ListProps, 'rows'> & {
  achievements: Row[];
  recommendations: Row[];
}) {
  const { t } = useTranslation();
  return (
    <>
      <EntryList
        rows={achievements}
        onAdd={onAdd}
        onRemove={onRemove}
        list="achievements"
        title={t('dossier.achievements.title')}
        hint={t('dossier.achievements.hint')}
        entryLabel={(n) => t('dossier.achievements.entry', { n })}
        addLabel={t('dossier.achievements.add')}
        max={20}
        render={(path) => (
          <div className="edit-row-grid edit-row-wide">
            <TextField path={`${path}.title`} label={t('dossier.achievements.what')} />
            <TextField
              path={`${path}.year`}
              type="number"
              inputMode="numeric"
              min={1950}
              max={2100}
              label={t('dossier.achievements.year')}
            />
          </div>
        )}
      />
      <fieldset className="edit-section" id="dossier-olympiad">
        <legend>{t('dossier.olympiad.title')}</legend>
        <SelectField path="olympiad" label={t('dossier.olympiad.label')} hint={t('dossier.olympiad.hint')}>
          {OLYMPIAD.map((value) => (
            <option key={value} value={value}>
              {t(`dossier.olympiad.values.${value}`)}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <EntryList
        rows={recommendations}
        onAdd={onAdd}
        onRemove={onRemove}
        list="recommendations"
        title={t('dossier.recommendations.title')}
        hint={t('dossier.recommendations.hint')}
        entryLabel={(n) => t('dossier.recommendations.entry', { n })}
        addLabel={t('dossier.recommendations.add')}
        max={10}
        render={(path) => <TextField path={`${path}.from`} label={t('dossier.recommendations.from')} />}
      />
    </>
  );
}

export function LettersSection() {
  const { t } = useTranslation();
  return (
    <fieldset className="edit-section" id="dossier-letters">
      <legend>{t('dossier.letters.title')}</legend>
      <TextAreaField
        path="motivationLetter"
        label={t('dossier.letters.motivation')}
        hint={t('dossier.letters.motivationHint')}
        maxLength={10000}
      />
      <TextAreaField path="volunteering" label={t('dossier.letters.volunteering')} maxLength={5000} />
    </fieldset>
  );
}

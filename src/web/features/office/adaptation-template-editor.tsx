/**
 * Edits a university's adaptation checklists: one per citizenship ("everyone else" = "*"), each a list
 * of items with a stable id, titles in English and Russian, a due date in (working) days after arrival
 * and whether it is required. Checked before saving; the API's field errors land on the same inputs.
 */
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { describeError, type Message } from '../../ui/errors';
import { Field, FormError, SubmitButton } from '../../ui/form';
import { COUNTRY_CODES, countryName, sortedOptions } from '../../ui/regions';
import { localeOf, pick } from '../catalog/format';
import type { Template, TemplateItem, Templates } from './adaptation-api';
import {
  checkDrafts,
  type DraftErrors,
  emptyItem,
  type ItemDraft,
  newTemplate,
  placeServerErrors,
  type TemplateDraft,
  templateDraft,
} from './adaptation-drafts';

const message = (errors: DraftErrors, path: string): Message | undefined =>
  errors[path] ? { key: errors[path] } : undefined;

function ItemFields({
  item,
  path,
  number,
  errors,
  onChange,
  onRemove,
}: {
  item: ItemDraft;
  path: string;
  number: number;
  errors: DraftErrors;
  onChange: (item: ItemDraft) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const set = (patch: Partial<ItemDraft>) => onChange({ ...item, ...patch });
  return (
    <fieldset className="adaptation-item" data-testid="template-item">
      <legend>{t('office.adaptation.item', { number, title: item.titleEn || item.id || '…' })}</legend>
      <div className="adaptation-item-grid">
        <Field
          name={`${path}.id`}
          label={t('office.adaptation.itemId')}
          hint={t('office.adaptation.itemIdHint')}
          value={item.id}
          maxLength={40}
          onChange={(e) => set({ id: e.target.value })}
          error={message(errors, `${path}.id`)}
          data-testid="item-id"
        />
        <Field
          name={`${path}.title.en`}
          label={t('office.adaptation.titleEn')}
          value={item.titleEn}
          maxLength={200}
          onChange={(e) => set({ titleEn: e.target.value })}
          error={message(errors, `${path}.title.en`)}
          data-testid="item-title-en"
        />
        <Field
          name={`${path}.title.ru`}
          label={t('office.adaptation.titleRu')}
          value={item.titleRu}
          maxLength={200}
          lang="ru"
          onChange={(e) => set({ titleRu: e.target.value })}
          error={message(errors, `${path}.title.ru`)}
          data-testid="item-title-ru"
        />
        <Field
          name={`${path}.dueDays`}
          label={t('office.adaptation.dueDays')}
          type="number"
          inputMode="numeric"
          min={0}
          max={365}
          step={1}
          value={item.dueDays}
          onChange={(e) => set({ dueDays: e.target.value })}
          error={message(errors, `${path}.dueDays`)}
          data-testid="item-due-days"
        />
      </div>
      <div className="offer-check">
        <input
          type="checkbox"
          id={`${id}-working`}
          checked={item.workingDays}
          onChange={(e) => set({ workingDays: e.target.checked })}
        />
        <label htmlFor={`${id}-working`}>{t('office.adaptation.workingDays')}</label>
      </div>
      <div className="offer-check">
        <input
          type="checkbox"
          id={`${id}-essential`}
          checked={item.essential}
          onChange={(e) => set({ essential: e.target.checked })}
          data-testid="item-essential"
        />
        <label htmlFor={`${id}-essential`}>{t('office.adaptation.essential')}</label>
      </div>
      <Field
        name={`${path}.source`}
        label={t('office.adaptation.source')}
        hint={t('office.adaptation.sourceHint')}
        value={item.source}
        maxLength={500}
        onChange={(e) => set({ source: e.target.value })}
        error={message(errors, `${path}.source`)}
      />
      <button type="button" className="button button-quiet" onClick={onRemove}>
        {t('office.adaptation.removeItem', { number })}
      </button>
    </fieldset>
  );
}

function TemplateFields({
  draft,
  index,
  errors,
  onChange,
  onRemove,
}: {
  draft: TemplateDraft;
  index: number;
  errors: DraftErrors;
  onChange: (draft: TemplateDraft) => void;
  onRemove: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const path = `templates.${index}`;
  const countries = useMemo(() => sortedOptions(COUNTRY_CODES, countryName, locale), [locale]);
  const countryError = message(errors, `${path}.country`);
  const itemsError = message(errors, `${path}.items`);
  const heading =
    draft.country === '*'
      ? t('office.adaptation.forEveryone')
      : draft.country
        ? t('office.adaptation.forCountry', { country: countryName(draft.country, locale) })
        : t('office.adaptation.newTemplate');
  return (
    <section className="panel adaptation-template" aria-labelledby={`${id}-title`} data-testid="template">
      <h3 id={`${id}-title`}>{heading}</h3>
      <div className="field">
        <label htmlFor={`${id}-country`}>{t('office.adaptation.country')}</label>
        <select
          id={`${id}-country`}
          value={draft.country}
          aria-invalid={countryError ? true : undefined}
          aria-describedby={countryError ? `${id}-country-error` : `${id}-country-hint`}
          onChange={(e) => onChange({ ...draft, country: e.target.value })}
          data-testid="template-country"
        >
          <option value="">{t('office.adaptation.chooseCountry')}</option>
          <option value="*">{t('office.adaptation.everyoneElse')}</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <p className="field-hint" id={`${id}-country-hint`}>
          {t('office.adaptation.countryHint')}
        </p>
        {countryError && (
          <p className="field-error" id={`${id}-country-error`}>
            {t(countryError.key)}
          </p>
        )}
      </div>
      {itemsError && <p className="field-error">{t(itemsError.key)}</p>}
      {draft.items.map((item, j) => (
        <ItemFields
          key={item.key}
          item={item}
          path={`${path}.items.${j}`}
          number={j + 1}
          errors={errors}
          onChange={(next) => onChange({ ...draft, items: draft.items.map((x, k) => (k === j ? next : x)) })}
          onRemove={() => onChange({ ...draft, items: draft.items.filter((_, k) => k !== j) })}
        />
      ))}
      <p className="actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => onChange({ ...draft, items: [...draft.items, emptyItem()] })}
          data-testid="add-item"
        >
          {t('office.adaptation.addItem')}
        </button>
        <button type="button" className="button button-quiet" onClick={onRemove}>
          {t('office.adaptation.removeTemplate', { name: heading })}
        </button>
      </p>
    </section>
  );
}

export function AdaptationTemplateEditor({
  initial,
  save,
}: {
  initial: Templates;
  save: (templates: Template[]) => Promise<Templates>;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [drafts, setDrafts] = useState<TemplateDraft[]>(() => initial.templates.map(templateDraft));
  const [defaults, setDefaults] = useState<TemplateItem[]>(initial.default.items);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [general, setGeneral] = useState<Message | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const change = (next: TemplateDraft[]) => {
    setDrafts(next);
    setSaved(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const checked = checkDrafts(drafts);
    if ('errors' in checked) {
      setErrors(checked.errors);
      setGeneral({ key: 'errors.validation_failed' });
      return;
    }
    setBusy(true);
    try {
      const answer = await save(checked.templates);
      setDrafts(answer.templates.map(templateDraft));
      setDefaults(answer.default.items);
      setErrors({});
      setGeneral(null);
      setSaved(true);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'validation_failed') {
        const placed = placeServerErrors(failure.fieldErrors);
        setErrors(placed.errors);
        setGeneral({ key: 'errors.validation_failed' });
      } else {
        setErrors({});
        setGeneral(describeError(failure, []).general);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form adaptation-editor" onSubmit={submit} noValidate data-testid="adaptation-editor">
      <FormError error={general} />
      {drafts.length === 0 && (
        <div className="notice notice-info" data-testid="adaptation-default">
          <p>{t('office.adaptation.usingDefault')}</p>
          <ul>
            {defaults.map((item) => (
              <li key={item.id}>
                {t('office.adaptation.defaultItem', {
                  title: pick(item.title, locale),
                  days: item.dueDays,
                  unit: item.workingDays ? t('office.adaptation.workingDaysUnit') : t('office.adaptation.daysUnit'),
                })}
              </li>
            ))}
          </ul>
          <p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => change([newTemplate('*', defaults)])}
              data-testid="start-from-default"
            >
              {t('office.adaptation.startFromDefault')}
            </button>
          </p>
        </div>
      )}
      {drafts.map((draft, i) => (
        <TemplateFields
          key={draft.key}
          draft={draft}
          index={i}
          errors={errors}
          onChange={(next) => change(drafts.map((d, k) => (k === i ? next : d)))}
          onRemove={() => change(drafts.filter((_, k) => k !== i))}
        />
      ))}
      <p className="actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => change([...drafts, newTemplate(drafts.some((d) => d.country === '*') ? '' : '*')])}
          data-testid="add-template"
        >
          {t('office.adaptation.addTemplate')}
        </button>
        <SubmitButton busy={busy}>{t('office.adaptation.save')}</SubmitButton>
      </p>
      <p className="action-status" role="status" aria-live="polite" data-testid="adaptation-saved">
        {saved ? t('office.adaptation.saved') : ''}
      </p>
    </form>
  );
}

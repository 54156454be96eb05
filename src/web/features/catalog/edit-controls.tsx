/** Controlled inputs of the edit form, each labelled and with its error wired for assistive technology. */
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../ui/errors';
import type { Tri } from './edit-model';

function ErrorText({ id, error }: { id: string; error: Message | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="field-error" id={id}>
      {t(error.key, error.values)}
    </p>
  );
}

export function TextArea({
  name,
  label,
  value,
  onChange,
  error,
  lang,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: Message | undefined;
  lang?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        lang={lang}
        rows={5}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  value,
  onChange,
  error,
  children,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: Message | undefined;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {children}
      </select>
      <ErrorText id={`${id}-error`} error={error} />
    </div>
  );
}

/** Yes / no / not stated. */
export function TriField({
  name,
  label,
  value,
  onChange,
  error,
}: {
  name: string;
  label: string;
  value: Tri;
  onChange: (value: Tri) => void;
  error?: Message | undefined;
}) {
  const { t } = useTranslation();
  return (
    <SelectField name={name} label={label} value={value} onChange={(v) => onChange(v as Tri)} error={error}>
      <option value="">{t('catalog.notStated')}</option>
      <option value="true">{t('common.yes')}</option>
      <option value="false">{t('common.no')}</option>
    </SelectField>
  );
}

/** Several values of an enumeration, as checkboxes in a fieldset; none = not stated. */
export function CheckGroup<T extends string>({
  name,
  legend,
  options,
  labelOf,
  value,
  onChange,
  error,
}: {
  name: string;
  legend: string;
  options: readonly T[];
  labelOf: (option: T) => string;
  value: readonly T[];
  onChange: (value: T[]) => void;
  error?: Message | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="field check-group" aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}>
      <legend>{legend}</legend>
      <div className="check-row">
        {options.map((option) => (
          <label key={option} className="check">
            <input
              type="checkbox"
              name={name}
              value={option}
              checked={value.includes(option)}
              onChange={(event) =>
                onChange(event.target.checked ? [...value, option] : value.filter((item) => item !== option))
              }
            />
            <span>{labelOf(option)}</span>
          </label>
        ))}
      </div>
      <p className="field-hint" id={`${id}-hint`}>
        {t('catalog.edit.noneIsNotStated')}
      </p>
      <ErrorText id={`${id}-error`} error={error} />
    </fieldset>
  );
}

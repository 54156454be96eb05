/** Inputs of the dossier form, bound by name (the API's field path) to the form state and its errors. */
import { createContext, type InputHTMLAttributes, type ReactNode, useContext, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../ui/errors';
import { Field } from '../../ui/form';
import { COUNTRY_CODES, countryName, LANGUAGE_CODES, languageName, sortedOptions } from '../../ui/regions';
import { localeOf } from '../catalog/format';

export interface FormBinding {
  get: (path: string) => string;
  set: (path: string, value: string) => void;
  error: (path: string) => Message | undefined;
}

export const BindingContext = createContext<FormBinding | null>(null);

export function useBinding(): FormBinding {
  const binding = useContext(BindingContext);
  if (!binding) throw new Error('dossier inputs must be inside <BindingContext.Provider>');
  return binding;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'value' | 'onChange'>;

/** A text, date or number input for one field of the dossier. */
export function TextField({
  path,
  label,
  hint,
  ...input
}: { path: string; label: string; hint?: string } & InputProps) {
  const { get, set, error } = useBinding();
  return (
    <Field
      name={path}
      label={label}
      hint={hint}
      value={get(path)}
      onChange={(event) => set(path, event.target.value)}
      error={error(path)}
      {...input}
    />
  );
}

function ErrorText({ id, error }: { id: string; error: Message | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="field-error" id={id}>
      {t(error.key, error.values)}
    </p>
  );
}

export function SelectField({
  path,
  label,
  hint,
  children,
}: {
  path: string;
  label: string;
  hint?: string;
  children: ReactNode;
}) {
  const { get, set, error } = useBinding();
  const id = useId();
  const problem = error(path);
  const describedBy = [problem ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={path}
        value={get(path)}
        onChange={(event) => set(path, event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy || undefined}
      >
        {children}
      </select>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <ErrorText id={`${id}-error`} error={problem} />
    </div>
  );
}

export function TextAreaField({
  path,
  label,
  hint,
  maxLength,
}: {
  path: string;
  label: string;
  hint?: string;
  maxLength: number;
}) {
  const { t } = useTranslation();
  const { get, set, error } = useBinding();
  const id = useId();
  const problem = error(path);
  const value = get(path);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={path}
        rows={8}
        maxLength={maxLength}
        value={value}
        onChange={(event) => set(path, event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${problem ? `${id}-error ` : ''}${id}-hint`}
      />
      <p className="field-hint" id={`${id}-hint`}>
        {hint ? `${hint} ` : ''}
        {t('dossier.charactersLeft', { count: maxLength - value.length })}
      </p>
      <ErrorText id={`${id}-error`} error={problem} />
    </div>
  );
}

/** Yes / no / not stated. */
export function TriSelect({ path, label, hint }: { path: string; label: string; hint?: string }) {
  const { t } = useTranslation();
  return (
    <SelectField path={path} label={label} {...(hint ? { hint } : {})}>
      <option value="">{t('dossier.notStated')}</option>
      <option value="true">{t('common.yes')}</option>
      <option value="false">{t('common.no')}</option>
    </SelectField>
  );
}

/** Countries named in the interface language, sorted by name; `empty` labels the "none" choice. */
export function CountrySelect({
  path,
  label,
  empty,
  hint,
}: {
  path: string;
  label: string;
  empty: string;
  hint?: string;
}) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const options = useMemo(() => sortedOptions(COUNTRY_CODES, countryName, locale), [locale]);
  return (
    <SelectField path={path} label={label} {...(hint ? { hint } : {})}>
      <option value="">{empty}</option>
      {options.map((option) => (
        <option key={option.code} value={option.code}>
          {option.name}
        </option>
      ))}
    </SelectField>
  );
}

export function LanguageSelect({ path, label, hint }: { path: string; label: string; hint?: string }) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const current = useBinding().get(path);
  const options = useMemo(() => {
    const codes = current && !LANGUAGE_CODES.includes(current) ? [...LANGUAGE_CODES, current] : LANGUAGE_CODES;
    return sortedOptions(codes, languageName, locale);
  }, [locale, current]);
  return (
    <SelectField path={path} label={label} {...(hint ? { hint } : {})}>
      {options.map((option) => (
        <option key={option.code} value={option.code}>
          {option.name}
        </option>
      ))}
    </SelectField>
  );
}

/** The button that removes one entry of a list, named after the entry for screen readers. */
export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="button button-quiet row-remove" aria-label={label} onClick={onClick}>
      {t('dossier.remove')}
    </button>
  );
}

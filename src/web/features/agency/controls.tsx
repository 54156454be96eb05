/** Labelled selects and text areas, wired up like ui/form's Field (hint, error, aria-describedby). */
import { type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../ui/errors';

function described(id: string, hint: string | undefined, error: Message | undefined): string | undefined {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

function Notes({ id, hint, error }: { id: string; hint?: string | undefined; error?: Message | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {t(error.key, error.values)}
        </p>
      )}
    </>
  );
}

interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id'> {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: Message | undefined;
  children: ReactNode;
}

export function SelectField({ name, label, hint, error, children, ...select }: SelectProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={described(id, hint, error)}
        {...select}
      >
        {children}
      </select>
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}

interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'id'> {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: Message | undefined;
}

export function TextAreaField({ name, label, hint, error, ...area }: TextAreaProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={described(id, hint, error)}
        {...area}
      />
      <Notes id={id} hint={hint} error={error} />
    </div>
  );
}

/** Choosing the consultant in charge (of a lead or an applicant's case) from the agency's team. */
export function ConsultantPicker({
  label,
  value,
  onChange,
  team,
  busy,
  onAssign,
  testId,
}: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  team: readonly { id: string; fullName: string }[];
  busy: boolean;
  onAssign: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <form
      className="form-inline assign-form"
      onSubmit={(event) => {
        event.preventDefault();
        onAssign();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-consultant`}>{label}</label>
        <select
          id={`${id}-consultant`}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          data-testid={testId}
        >
          <option value="">{t('agency.lead.nobody')}</option>
          {team.map((c) => (
            <option key={c.id} value={c.id}>
              {c.fullName}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-secondary" disabled={busy}>
        {t('agency.lead.assign')}
      </button>
    </form>
  );
}

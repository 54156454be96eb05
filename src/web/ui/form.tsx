import { type InputHTMLAttributes, type ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from './errors';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'> {
  name: string;
  label: string;
  hint?: string;
  error?: Message | undefined;
}

/** A labelled input with its hint and error wired up for assistive technology. */
export function Field({ name, label, hint, error, ...input }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // The error first: it is what a screen reader should say before the standing hint.
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {t(error.key, error.values)}
        </p>
      )}
    </div>
  );
}

/** The general error of a form, announced as soon as it appears. */
export function FormError({ error, children }: { error: Message | null; children?: ReactNode }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="form-error">
      <p>{t(error.key, error.values)}</p>
      {children}
    </div>
  );
}

/** A confirmation; takes the focus so keyboard and screen-reader users land on it. */
export function Success({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="notice notice-success" role="status" data-testid="success" tabIndex={-1} ref={ref}>
      {children}
    </div>
  );
}

export function SubmitButton({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

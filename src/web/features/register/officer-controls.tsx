/** Pieces the officer's register sections share: error wording, bilingual fields, lists that reload. */
import { type FormEventHandler, type ReactNode, type RefObject, useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { i18n } from '../../i18n/i18n';
import { describeError, type FormErrors, fieldMessage, type Message } from '../../ui/errors';
import { Field, FormError, Success } from '../../ui/form';
import type { Outcome } from '../agency/action-status';
import { useResource } from '../catalog/use-resource';
import { isMissingRoute } from './officer-api';

/** The message for a register problem code, worded for the register when we have the words. */
export function registerMessage(code: string): Message | null {
  const key = `register.admin.errors.${code}`;
  return i18n.exists(key) ? { key } : null;
}

/** Codes that only say "see the fields": the fields' own messages tell more. */
const GENERAL_CODES = new Set(['validation_failed', 'invalid_entries']);

/**
 * Like describeError, but register codes (term_closed, duplicate_number, …) get their own words,
 * both for the whole form and next to a field; 422 answers with field errors count as "correct the fields".
 */
export function explainRegisterError(error: unknown, fieldNames: readonly string[]): FormErrors {
  const base = describeError(error, fieldNames);
  if (!(error instanceof ApiError)) return base;
  const fields: FormErrors['fields'] = {};
  let unplaced: Message | null = null;
  for (const item of error.fieldErrors) {
    // "teacherIds[1]" belongs to the input named "teacherIds".
    const name = item.field.replace(/^(body|querystring)\./, '').replace(/\[\d+\]$/, '');
    const message = registerMessage(item.code) ?? fieldMessage(name, item.code);
    if (fieldNames.includes(name)) fields[name] ??= message;
    else unplaced ??= message;
  }
  const own = GENERAL_CODES.has(error.code) ? null : registerMessage(error.code);
  const general =
    own ?? unplaced ?? (Object.keys(fields).length > 0 ? { key: 'errors.validation_failed' } : base.general);
  return { general, fields };
}

/** A failure of a one-off action (a button), in words. */
export function actionMessage(error: unknown): Message {
  if (error instanceof ApiError) {
    const own = registerMessage(error.code);
    if (own) return own;
    const field = error.fieldErrors[0];
    if (field) return registerMessage(field.code) ?? fieldMessage(field.field, field.code);
  }
  return describeError(error, []).general ?? { key: 'errors.generic' };
}

/** One-button actions with the outcome in words (register codes included); see agency/action-status. */
export function useRegisterAction() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run = useCallback(async (action: () => Promise<Message | null>): Promise<boolean> => {
    setBusy(true);
    setOutcome(null);
    try {
      const message = await action();
      if (message) setOutcome({ ok: true, message });
      return true;
    } catch (error) {
      setOutcome({ ok: false, message: actionMessage(error) });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, outcome, run, clear: () => setOutcome(null) };
}

/** English and Russian versions of one text, side by side ("name.en", "name.ru"). */
export function BilingualFields({
  name,
  label,
  errors,
  defaults,
}: {
  name: string;
  label: string;
  errors: FormErrors;
  defaults?: { en: string; ru: string } | undefined;
}) {
  const { t } = useTranslation();
  return (
    <div className="settings-grid">
      <Field
        name={`${name}.en`}
        label={t('register.admin.common.inEnglish', { label })}
        defaultValue={defaults?.en ?? ''}
        error={errors.fields[`${name}.en`]}
        autoComplete="off"
        lang="en"
      />
      <Field
        name={`${name}.ru`}
        label={t('register.admin.common.inRussian', { label })}
        defaultValue={defaults?.ru ?? ''}
        error={errors.fields[`${name}.ru`]}
        autoComplete="off"
        lang="ru"
      />
    </div>
  );
}

/** A list loaded from the API that a section changes locally and reloads on demand. */
export function useList<T>(key: string, load: (signal: AbortSignal) => Promise<{ items: T[] }>) {
  const [version, setVersion] = useState(0);
  const loaded = useResource(`${key}#${version}`, load);
  const [items, setItems] = useState<T[] | null>(null);
  useEffect(() => {
    if (loaded.data) setItems(loaded.data.items);
  }, [loaded.data]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { items, setItems, error: loaded.error, loading: loaded.loading, reload };
}

/** A section of the officer page: its heading, and "not available yet" when the server lacks the routes. */
export function Section({
  title,
  lead,
  error,
  children,
  testId,
}: {
  title: string;
  lead?: string;
  error?: unknown;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="register-section" data-testid={testId}>
      <h2 id={`${id}-title`}>{title}</h2>
      {lead && <p className="lead">{lead}</p>}
      {isMissingRoute(error) ? (
        <p className="notice notice-info" data-testid="register-not-available">
          {t('register.admin.notAvailable')}
        </p>
      ) : error ? (
        <p className="notice notice-error" role="alert">
          {(() => {
            const message = actionMessage(error);
            return t(message.key, message.values);
          })()}
        </p>
      ) : (
        children
      )}
    </section>
  );
}

/** "0.8" → "80" for a percent input, and back. */
export const toPercent = (rate: number) => String(Math.round(rate * 1000) / 10);
export const fromPercent = (text: string) => Number(text.replace(',', '.')) / 100;

/** The name a student is listed under: Latin, with the Cyrillic spelling after it when there is one. */
export function studentName(student: { nameLatin: string; nameCyrillic: string | null }): string {
  return student.nameCyrillic ? `${student.nameLatin} (${student.nameCyrillic})` : student.nameLatin;
}

/**
 * An officer's form: its heading (a panel of its own, or nested in another one), an optional hint,
 * the general error, and what the last submit made (`done`: keyed so a repeat shows again).
 */
export function OfficerForm({
  formRef,
  onSubmit,
  testId,
  title,
  hint,
  nested = false,
  error,
  done,
  children,
}: {
  formRef: RefObject<HTMLFormElement | null>;
  onSubmit: FormEventHandler<HTMLFormElement>;
  testId: string;
  title: string;
  hint?: string;
  nested?: boolean;
  error: Message | null;
  done: { key: string | number; message: string } | null;
  children: ReactNode;
}) {
  const id = useId();
  const Heading = nested ? 'h4' : 'h3';
  return (
    <form
      ref={formRef}
      className={nested ? 'form' : 'form panel'}
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid={testId}
    >
      <Heading id={`${id}-title`}>{title}</Heading>
      {hint && <p className="field-hint">{hint}</p>}
      <FormError error={error} />
      {done && (
        <Success key={done.key}>
          <p>{done.message}</p>
        </Success>
      )}
      {children}
    </form>
  );
}

/**
 * A section's table of items: "loading" until they come, `empty` when there are none, else the table
 * with a caption for screen readers, the header cells and one row per item.
 */
export function ItemsTable<T>({
  items,
  empty,
  caption,
  testId,
  head,
  row,
}: {
  items: T[] | null;
  empty: string;
  caption: string;
  testId: string;
  head: ReactNode;
  row: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (!items) return <p className="loading">{t('app.loading')}</p>;
  if (items.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{items.map(row)}</tbody>
      </table>
    </div>
  );
}

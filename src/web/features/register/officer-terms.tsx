/** Terms of the university: create, close (no more edits without an override), reopen with a reason. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { formatDate, formatDateTime } from '../../ui/dates';
import type { FormErrors } from '../../ui/errors';
import { Field, SubmitButton } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { ActionStatus } from '../agency/action-status';
import { localeOf, pick } from '../catalog/format';
import { officerApi, type Term } from './officer-api';
import {
  BilingualFields,
  explainRegisterError,
  ItemsTable,
  OfficerForm,
  Section,
  useList,
  useRegisterAction,
} from './officer-controls';

const FIELDS = ['academicYear', 'name.en', 'name.ru', 'startsOn', 'endsOn'] as const;
const YEAR = /^\d{4}\/\d{4}$/;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  for (const name of FIELDS) if (textOf(data, name).trim() === '') fields[name] = { key: 'fieldErrors.required' };
  const year = textOf(data, 'academicYear').trim();
  if (year && !YEAR.test(year)) fields.academicYear = { key: 'register.admin.terms.yearFormat' };
  const from = textOf(data, 'startsOn');
  const to = textOf(data, 'endsOn');
  if (from && to && to < from) fields.endsOn = { key: 'register.admin.terms.endsBeforeStart' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

function CreateTerm({ onCreated }: { onCreated: (term: Term) => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS, explainRegisterError);
  const [created, setCreated] = useState<string | null>(null);
  const submit = onSubmit(check, async (data, form) => {
    const term = await officerApi.createTerm({
      academicYear: textOf(data, 'academicYear').trim(),
      name: { en: textOf(data, 'name.en').trim(), ru: textOf(data, 'name.ru').trim() },
      startsOn: textOf(data, 'startsOn'),
      endsOn: textOf(data, 'endsOn'),
    });
    form.reset();
    setCreated(term.name.en);
    onCreated(term);
  });
  return (
    <OfficerForm
      formRef={formRef}
      onSubmit={submit}
      testId="term-form"
      title={t('register.admin.terms.create')}
      error={errors.general}
      done={created ? { key: created, message: t('register.admin.terms.created', { name: created }) } : null}
    >
      <Field
        name="academicYear"
        label={t('register.admin.common.academicYear')}
        hint={t('register.admin.common.academicYearHint')}
        error={errors.fields.academicYear}
        autoComplete="off"
      />
      <BilingualFields name="name" label={t('register.admin.terms.name')} errors={errors} />
      <div className="settings-grid">
        <Field name="startsOn" type="date" label={t('register.admin.terms.startsOn')} error={errors.fields.startsOn} />
        <Field name="endsOn" type="date" label={t('register.admin.terms.endsOn')} error={errors.fields.endsOn} />
      </div>
      <SubmitButton busy={busy}>{t('register.admin.terms.createSubmit')}</SubmitButton>
    </OfficerForm>
  );
}

type Pending = { term: Term; action: 'close' | 'reopen' } | null;

export function TermsSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const list = useList('terms', (signal) => officerApi.terms(signal));
  const action = useRegisterAction();
  const [pending, setPending] = useState<Pending>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState(false);

  const replace = (term: Term) =>
    list.setItems((items) => (items ?? []).map((x) => (x.id === term.id ? { ...x, ...term } : x)));

  const confirm = async () => {
    if (!pending) return;
    const text = reason.trim();
    // The server takes reasons of at least 3 characters; a reopening must have one.
    if ((pending.action === 'reopen' || text !== '') && text.length < 3) {
      setReasonError(true);
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    const { term, action: kind } = pending;
    const ok = await action.run(async () => {
      const updated =
        kind === 'close'
          ? await officerApi.closeTerm(term.id, text || undefined)
          : await officerApi.reopenTerm(term.id, text);
      replace(
        updated && typeof updated === 'object' && 'id' in updated
          ? updated
          : { ...term, closedAt: kind === 'close' ? new Date().toISOString() : null },
      );
      return {
        key: kind === 'close' ? 'register.admin.terms.closedDone' : 'register.admin.terms.reopenedDone',
        values: { name: pick(term.name, locale) },
      };
    });
    if (ok) list.reload();
    setPending(null);
  };

  return (
    <Section
      title={t('register.admin.terms.title')}
      lead={t('register.admin.terms.lead')}
      error={list.error}
      testId="terms-section"
    >
      <ItemsTable
        items={list.items}
        empty={t('register.admin.terms.none')}
        caption={t('register.admin.terms.title')}
        testId="terms-table"
        head={
          <>
            <th scope="col">{t('register.admin.terms.name')}</th>
            <th scope="col">{t('register.admin.common.academicYear')}</th>
            <th scope="col">{t('register.admin.terms.dates')}</th>
            <th scope="col">{t('register.admin.terms.state')}</th>
            <th scope="col">{t('register.admin.common.actions')}</th>
          </>
        }
        row={(term) => {
          const name = pick(term.name, locale);
          return (
            <tr
              key={term.id}
              data-testid="term-row"
              data-term={term.name.en}
              data-closed={String(term.closedAt !== null)}
            >
              <th scope="row">{name}</th>
              <td>{term.academicYear}</td>
              <td>
                {formatDate(term.startsOn, locale)} – {formatDate(term.endsOn, locale)}
              </td>
              <td>
                {term.closedAt ? (
                  <span className="badge badge-muted" title={formatDateTime(term.closedAt, locale)}>
                    {t('register.admin.terms.closed')}
                  </span>
                ) : (
                  <span className="badge badge-good">{t('register.admin.terms.open')}</span>
                )}
              </td>
              <td>
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={action.busy}
                  data-testid={term.closedAt ? 'term-reopen' : 'term-close'}
                  onClick={() => {
                    setReason('');
                    setReasonError(false);
                    setPending({ term, action: term.closedAt ? 'reopen' : 'close' });
                  }}
                >
                  {term.closedAt
                    ? t('register.admin.terms.reopen', { name })
                    : t('register.admin.terms.close', { name })}
                </button>
              </td>
            </tr>
          );
        }}
      />
      <ActionStatus outcome={action.outcome} testId="terms-result" />
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.action === 'reopen'
            ? t('register.admin.terms.reopenTitle', { name: pending ? pick(pending.term.name, locale) : '' })
            : t('register.admin.terms.closeTitle', { name: pending ? pick(pending.term.name, locale) : '' })
        }
        confirmLabel={
          pending?.action === 'reopen'
            ? t('register.admin.terms.reopenConfirm')
            : t('register.admin.terms.closeConfirm')
        }
        danger={pending?.action === 'close'}
        busy={action.busy}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
        testId="term-dialog"
      >
        <p>
          {pending?.action === 'reopen' ? t('register.admin.terms.reopenText') : t('register.admin.terms.closeText')}
        </p>
        <div className="field">
          <label htmlFor={`${id}-reason`}>
            {pending?.action === 'reopen'
              ? t('register.admin.terms.reasonRequired')
              : t('register.admin.terms.reasonOptional')}
          </label>
          <textarea
            id={`${id}-reason`}
            name="reason"
            rows={2}
            value={reason}
            aria-invalid={reasonError || undefined}
            aria-describedby={reasonError ? `${id}-reason-error` : undefined}
            onChange={(event) => {
              setReason(event.target.value);
              setReasonError(false);
            }}
            data-testid="term-reason"
          />
          {reasonError && (
            <p className="field-error" id={`${id}-reason-error`}>
              {t('register.admin.terms.reasonMissing')}
            </p>
          )}
        </div>
      </ConfirmDialog>
      <CreateTerm onCreated={(term) => list.setItems((items) => [...(items ?? []), term])} />
    </Section>
  );
}

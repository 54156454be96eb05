/** Students of the university: the list, one created by hand, an import from CSV/XLSX, or the enrolled of a campaign. */
import type { TFunction } from 'i18next';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useSession } from '../../app/session';
import { currentLocale, i18n } from '../../i18n/i18n';
import type { FormErrors, Message } from '../../ui/errors';
import { Field, SubmitButton } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { SelectField } from '../agency/controls';
import { applicationsApi } from '../applications/applications-api';
import { catalogApi } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { type GroupSummary, officerApi, type StudentItem } from './officer-api';
import {
  actionMessage,
  explainRegisterError,
  OfficerForm,
  registerMessage,
  Section,
  studentName,
  useList,
} from './officer-controls';

const FIELDS = ['email', 'nameLatin', 'nameCyrillic', 'number', 'groupId', 'locale'] as const;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  for (const name of ['email', 'nameLatin', 'number'])
    if (textOf(data, name).trim() === '') fields[name] = { key: 'fieldErrors.required' };
  const email = textOf(data, 'email').trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    fields.email = { key: 'fieldErrors.byField.email.invalid_format' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

function GroupOptions({ groups }: { groups: GroupSummary[] | null }) {
  const { t } = useTranslation();
  return (
    <>
      <option value="">{t('register.admin.students.noGroup')}</option>
      {(groups ?? []).map((g) => (
        <option key={g.id} value={g.id}>
          {g.code} ({g.academicYear})
        </option>
      ))}
    </>
  );
}

function CreateStudent({ groups, onCreated }: { groups: GroupSummary[] | null; onCreated: () => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS, explainRegisterError);
  const [created, setCreated] = useState<string | null>(null);
  const submit = onSubmit(check, async (data, form) => {
    const cyrillic = textOf(data, 'nameCyrillic').trim();
    const groupId = textOf(data, 'groupId');
    const locale = textOf(data, 'locale');
    const student = await officerApi.createStudent({
      email: textOf(data, 'email').trim(),
      nameLatin: textOf(data, 'nameLatin').trim(),
      number: textOf(data, 'number').trim(),
      ...(cyrillic ? { nameCyrillic: cyrillic } : {}),
      ...(groupId ? { groupId } : {}),
      ...(locale === 'en' || locale === 'ru' ? { locale } : {}),
    });
    form.reset();
    setCreated(student.nameLatin);
    onCreated();
  });
  return (
    <OfficerForm
      formRef={formRef}
      onSubmit={submit}
      testId="student-form"
      title={t('register.admin.students.create')}
      hint={t('register.admin.students.createHint')}
      error={errors.general}
      done={created ? { key: created, message: t('register.admin.students.created', { name: created }) } : null}
    >
      <div className="settings-grid">
        <Field
          name="nameLatin"
          label={t('register.admin.students.nameLatin')}
          hint={t('register.admin.students.nameLatinHint')}
          error={errors.fields.nameLatin}
          autoComplete="off"
        />
        <Field
          name="nameCyrillic"
          label={t('register.admin.students.nameCyrillic')}
          hint={t('register.admin.common.optional')}
          error={errors.fields.nameCyrillic}
          autoComplete="off"
          lang="ru"
        />
        <Field name="email" type="email" label={t('fields.email')} error={errors.fields.email} autoComplete="off" />
        <Field
          name="number"
          label={t('register.admin.students.number')}
          hint={t('register.admin.students.numberHint')}
          error={errors.fields.number}
          autoComplete="off"
        />
        <SelectField name="groupId" label={t('register.admin.students.group')} error={errors.fields.groupId}>
          <GroupOptions groups={groups} />
        </SelectField>
        <SelectField
          name="locale"
          label={t('register.admin.students.locale')}
          defaultValue={currentLocale()}
          error={errors.fields.locale}
        >
          <option value="en">English</option>
          <option value="ru">Русский</option>
        </SelectField>
      </div>
      <SubmitButton busy={busy}>{t('register.admin.students.createSubmit')}</SubmitButton>
    </OfficerForm>
  );
}

type ImportState =
  | { kind: 'idle' }
  | { kind: 'uploading'; percent: number }
  | { kind: 'done'; count: number }
  | { kind: 'failed'; message: Message; rows: { where: string; message: Message }[] };

/** "row 5 column email" / "row 5.email" / "rows[4].email" → "Row 5, column email"; anything else as written. */
export function importWhere(field: string, t: TFunction): string {
  const row = /row[s]?\s*[[\s.]?(\d+)\]?/i.exec(field)?.[1];
  const column = /(?:column\s+|row\s*\d+\s*\.|\]\.)([A-Za-z_]+)/i.exec(field)?.[1];
  if (!row) return field === 'file' ? t('register.admin.import.theFile') : field;
  return column ? t('register.admin.import.rowColumn', { row, column }) : t('register.admin.import.row', { row });
}

function ImportStudents({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const busy = state.kind === 'uploading';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = inputRef.current?.files?.[0];
    if (!file) {
      setState({ kind: 'failed', message: { key: 'register.admin.import.chooseFile' }, rows: [] });
      inputRef.current?.focus();
      return;
    }
    setState({ kind: 'uploading', percent: 0 });
    try {
      const result = await officerApi.importStudents(
        file,
        (fraction) => setState({ kind: 'uploading', percent: Math.round(fraction * 100) }),
        currentLocale(),
      );
      setState({ kind: 'done', count: result.created ?? result.imported ?? 0 });
      if (inputRef.current) inputRef.current.value = '';
      onImported();
    } catch (error) {
      const rows =
        error instanceof ApiError
          ? error.fieldErrors.map((e) => ({
              where: e.field,
              message:
                registerMessage(e.code) ??
                (i18n.exists(`fieldErrors.${e.code}`)
                  ? { key: `fieldErrors.${e.code}` }
                  : { key: 'register.admin.import.problem', values: { text: e.message } }),
            }))
          : [];
      setState({
        kind: 'failed',
        message:
          rows.length > 0
            ? { key: 'register.admin.import.refused', values: { count: rows.length } }
            : actionMessage(error),
        rows,
      });
    }
  };

  return (
    <form
      className="form panel"
      onSubmit={submit}
      noValidate
      aria-busy={busy || undefined}
      data-testid="student-import"
    >
      <h3>{t('register.admin.import.title')}</h3>
      <div className="field">
        <label htmlFor={id}>{t('register.admin.import.label')}</label>
        <input
          ref={inputRef}
          id={id}
          type="file"
          name="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          disabled={busy}
          aria-describedby={`${id}-hint ${id}-status`}
          data-testid="import-file"
        />
        <p className="field-hint" id={`${id}-hint`}>
          {t('register.admin.import.hint')}
        </p>
      </div>
      <button type="submit" className="button button-secondary" disabled={busy} data-testid="import-submit">
        {t('register.admin.import.submit')}
      </button>
      {busy && <progress max={100} value={state.percent} aria-label={t('register.admin.import.progress')} />}
      <div id={`${id}-status`} role="status" aria-live="polite" data-testid="import-status">
        {state.kind === 'done' && (
          <p className="notice notice-success">{t('register.admin.import.done', { count: state.count })}</p>
        )}
        {state.kind === 'failed' && (
          <div className="notice notice-error">
            <p>{t(state.message.key, state.message.values)}</p>
            {state.rows.length > 0 && (
              <ul className="import-errors" data-testid="import-errors">
                {state.rows.map((row) => (
                  <li key={`${row.where}:${row.message.key}:${JSON.stringify(row.message.values ?? {})}`}>
                    <strong>{importWhere(row.where, t)}:</strong> {t(row.message.key, row.message.values)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </form>
  );
}

/** Every enrolled admission of a campaign becomes a student (again and again: the server skips those done). */
function FromEnrollment({ groups, onDone }: { groups: GroupSummary[] | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const universityId = user?.universityId ?? null;
  const universities = useResource(universityId ? 'universities' : null, (signal) => catalogApi.universities(signal));
  const university = universities.data?.items.find((u) => u.id === universityId) ?? null;
  const campaigns = useResource(university ? `campaigns:${university.slug}` : null, (signal) =>
    applicationsApi.campaigns({ university: university?.slug ?? '' }, signal),
  );
  const { formRef, busy, errors, onSubmit } = useForm(['campaign', 'groupId'], explainRegisterError);
  const [result, setResult] = useState<{ created: number; skipped: number } | null>(null);
  const submit = onSubmit(
    (data) =>
      textOf(data, 'campaign') === ''
        ? { general: { key: 'errors.validation_failed' }, fields: { campaign: { key: 'fieldErrors.required' } } }
        : { general: null, fields: {} },
    async (data) => {
      setResult(null);
      const campaign = await applicationsApi.campaign(textOf(data, 'campaign'));
      const groupId = textOf(data, 'groupId');
      setResult(await officerApi.fromEnrollment({ campaignId: campaign.id, ...(groupId ? { groupId } : {}) }));
      onDone();
    },
  );
  return (
    <OfficerForm
      formRef={formRef}
      onSubmit={submit}
      testId="from-enrollment"
      title={t('register.admin.enrollment.title')}
      hint={t('register.admin.enrollment.hint')}
      error={errors.general}
      done={
        result
          ? {
              key: `${result.created}:${result.skipped}`,
              message: t('register.admin.enrollment.done', { created: result.created, skipped: result.skipped }),
            }
          : null
      }
    >
      <div className="settings-grid">
        <SelectField name="campaign" label={t('register.admin.enrollment.campaign')} error={errors.fields.campaign}>
          <option value="">{t('register.admin.enrollment.chooseCampaign')}</option>
          {(campaigns.data?.items ?? []).map((c) => (
            <option key={c.slug} value={c.slug}>
              {pick(c.title, locale)} ({c.academicYear})
            </option>
          ))}
        </SelectField>
        <SelectField name="groupId" label={t('register.admin.students.group')} error={errors.fields.groupId}>
          <GroupOptions groups={groups} />
        </SelectField>
      </div>
      <SubmitButton busy={busy}>{t('register.admin.enrollment.submit')}</SubmitButton>
    </OfficerForm>
  );
}

function StudentsTable({ items }: { items: StudentItem[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="students-table">
        <caption className="visually-hidden">{t('register.admin.students.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('register.admin.students.number')}</th>
            <th scope="col">{t('register.admin.students.name')}</th>
            <th scope="col">{t('register.admin.students.groups')}</th>
            <th scope="col">{t('register.admin.students.status')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id} data-testid="student-row" data-number={s.number}>
              <td>{s.number}</td>
              <th scope="row">{studentName(s)}</th>
              <td>{(s.groups ?? []).map((g) => g.code).join(', ') || '—'}</td>
              <td>{t(`register.admin.students.statuses.${s.status}`, { defaultValue: s.status })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StudentsSection() {
  const { t } = useTranslation();
  const id = useId();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const groups = useList('register-groups', (signal) => officerApi.groups(signal));
  const list = useList(`register-students:${search}`, (signal) =>
    officerApi.students(search ? { q: search } : {}, signal),
  );
  return (
    <Section
      title={t('register.admin.students.title')}
      lead={t('register.admin.students.lead')}
      error={list.error}
      testId="students-section"
    >
      <form
        className="form-inline search-row"
        aria-label={t('register.admin.students.search')}
        onSubmit={(event) => {
          event.preventDefault();
          setSearch(q.trim());
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-q`}>{t('register.admin.students.search')}</label>
          <input id={`${id}-q`} type="search" value={q} onChange={(event) => setQ(event.target.value)} />
        </div>
        <button type="submit" className="button button-secondary">
          {t('register.admin.students.searchSubmit')}
        </button>
      </form>
      <p role="status" aria-live="polite" className="results-count" data-testid="students-count">
        {list.items ? t('register.admin.students.count', { count: list.items.length }) : t('app.loading')}
      </p>
      {list.items && list.items.length > 0 && <StudentsTable items={list.items} />}
      <CreateStudent groups={groups.items} onCreated={list.reload} />
      <ImportStudents onImported={list.reload} />
      <FromEnrollment groups={groups.items} onDone={list.reload} />
    </Section>
  );
}

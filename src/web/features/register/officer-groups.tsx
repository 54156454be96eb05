/** Study groups: create, choose the members from the student list, assign curators and teachers. */
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from '../../ui/errors';
import { Field, SubmitButton } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { ActionStatus } from '../agency/action-status';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { type GroupDetail, type GroupSummary, officerApi, type StaffRole } from './officer-api';
import {
  BilingualFields,
  explainRegisterError,
  ItemsTable,
  OfficerForm,
  Section,
  studentName,
  useList,
  useRegisterAction,
} from './officer-controls';
import { isUserId, PersonSelect, useStaff } from './officer-staff-picker';

const FIELDS = ['code', 'faculty.en', 'faculty.ru', 'academicYear'] as const;
const YEAR = /^\d{4}\/\d{4}$/;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  for (const name of FIELDS) if (textOf(data, name).trim() === '') fields[name] = { key: 'fieldErrors.required' };
  const year = textOf(data, 'academicYear').trim();
  if (year && !YEAR.test(year)) fields.academicYear = { key: 'register.admin.terms.yearFormat' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

function CreateGroup({ onCreated }: { onCreated: (group: GroupSummary) => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS, explainRegisterError);
  const [created, setCreated] = useState<string | null>(null);
  const submit = onSubmit(check, async (data, form) => {
    const group = await officerApi.createGroup({
      code: textOf(data, 'code').trim(),
      faculty: { en: textOf(data, 'faculty.en').trim(), ru: textOf(data, 'faculty.ru').trim() },
      academicYear: textOf(data, 'academicYear').trim(),
    });
    form.reset();
    setCreated(group.code);
    onCreated({ ...group, studentCount: group.studentCount ?? 0, program: group.program ?? null });
  });
  return (
    <OfficerForm
      formRef={formRef}
      onSubmit={submit}
      testId="group-form"
      title={t('register.admin.groups.create')}
      error={errors.general}
      done={created ? { key: created, message: t('register.admin.groups.created', { code: created }) } : null}
    >
      <div className="settings-grid">
        <Field
          name="code"
          label={t('register.admin.groups.code')}
          hint={t('register.admin.groups.codeHint')}
          error={errors.fields.code}
          autoComplete="off"
        />
        <Field
          name="academicYear"
          label={t('register.admin.common.academicYear')}
          hint={t('register.admin.common.academicYearHint')}
          error={errors.fields.academicYear}
          autoComplete="off"
        />
      </div>
      <BilingualFields name="faculty" label={t('register.admin.groups.faculty')} errors={errors} />
      <SubmitButton busy={busy}>{t('register.admin.groups.createSubmit')}</SubmitButton>
    </OfficerForm>
  );
}

/** The members of a group, chosen from every student of the university (searchable). */
function Members({ group, onSaved }: { group: GroupDetail; onSaved: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const students = useResource('register-students-all', (signal) => officerApi.students({}, signal));
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(group.students.map((s) => s.id)));
  const [filter, setFilter] = useState('');
  const action = useRegisterAction();
  const all = students.data?.items ?? null;
  const shown = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    if (!all) return [];
    return needle === ''
      ? all
      : all.filter((s) =>
          [s.nameLatin, s.nameCyrillic ?? '', s.number].some((v) => v.toLocaleLowerCase().includes(needle)),
        );
  }, [all, filter]);

  const save = () =>
    action.run(async () => {
      await officerApi.setMembers(group.id, [...chosen]);
      onSaved();
      return { key: 'register.admin.groups.membersSaved', values: { code: group.code, count: chosen.size } };
    });

  return (
    <fieldset className="register-fieldset" data-testid="group-members">
      <legend>{t('register.admin.groups.members', { count: chosen.size })}</legend>
      <div className="field">
        <label htmlFor={`${id}-filter`}>{t('register.admin.groups.filterStudents')}</label>
        <input
          id={`${id}-filter`}
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          data-testid="members-filter"
        />
      </div>
      {!all ? (
        <p className="loading">{t('app.loading')}</p>
      ) : all.length === 0 ? (
        <p className="empty">{t('register.admin.students.none')}</p>
      ) : (
        <ul className="member-list">
          {shown.map((s) => (
            <li key={s.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={chosen.has(s.id)}
                  data-testid="member-check"
                  data-number={s.number}
                  onChange={(event) =>
                    setChosen((current) => {
                      const next = new Set(current);
                      if (event.target.checked) next.add(s.id);
                      else next.delete(s.id);
                      return next;
                    })
                  }
                />
                <span>
                  {studentName(s)} <span className="cell-note">{s.number}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="button button-primary"
        disabled={action.busy}
        onClick={save}
        data-testid="members-save"
      >
        {t('register.admin.groups.saveMembers')}
      </button>
      <ActionStatus outcome={action.outcome} testId="members-result" />
    </fieldset>
  );
}

/** Curators and teachers of a group. */
function Staff({ group, onSaved }: { group: GroupDetail; onSaved: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { staff, byId } = useStaff();
  const [rows, setRows] = useState(group.staff);
  const [person, setPerson] = useState('');
  const [role, setRole] = useState<StaffRole>('curator');
  const action = useRegisterAction();
  const nameOf = (userId: string) =>
    rows.find((r) => r.userId === userId)?.fullName ?? staff?.find((s) => s.id === userId)?.fullName ?? userId;

  const add = () => {
    if (!isUserId(person) || rows.some((r) => r.userId === person)) return;
    setRows((current) => [...current, { userId: person, fullName: nameOf(person), role }]);
    setPerson('');
  };
  const save = () =>
    action.run(async () => {
      await officerApi.setStaff(
        group.id,
        rows.map((r) => ({ userId: r.userId, role: r.role })),
      );
      onSaved();
      return { key: 'register.admin.groups.staffSaved', values: { code: group.code } };
    });

  return (
    <fieldset className="register-fieldset" data-testid="group-staff">
      <legend>{t('register.admin.groups.staff')}</legend>
      {rows.length === 0 ? (
        <p className="empty">{t('register.admin.groups.noStaff')}</p>
      ) : (
        <ul className="member-list">
          {rows.map((r) => (
            <li key={r.userId} className="staff-row">
              <span>{r.fullName || r.userId}</span>
              <select
                aria-label={t('register.admin.groups.roleOf', { name: r.fullName || r.userId })}
                value={r.role}
                onChange={(event) =>
                  setRows((current) =>
                    current.map((x) => (x.userId === r.userId ? { ...x, role: event.target.value as StaffRole } : x)),
                  )
                }
              >
                <option value="curator">{t('register.admin.groups.roles.curator')}</option>
                <option value="teacher">{t('register.admin.groups.roles.teacher')}</option>
              </select>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => setRows((current) => current.filter((x) => x.userId !== r.userId))}
              >
                {t('register.admin.groups.removeStaff', { name: r.fullName || r.userId })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-inline staff-add">
        <PersonSelect
          staff={staff}
          byId={byId}
          value={person}
          onChange={setPerson}
          label={t('register.admin.groups.person')}
          testId="staff-person"
        />
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('register.admin.groups.role')}</label>
          <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as StaffRole)}>
            <option value="curator">{t('register.admin.groups.roles.curator')}</option>
            <option value="teacher">{t('register.admin.groups.roles.teacher')}</option>
          </select>
        </div>
        <button type="button" className="button button-secondary" onClick={add} disabled={!isUserId(person)}>
          {t('register.admin.groups.addStaff')}
        </button>
      </div>
      <button
        type="button"
        className="button button-primary"
        disabled={action.busy}
        onClick={save}
        data-testid="staff-save"
      >
        {t('register.admin.groups.saveStaff')}
      </button>
      <ActionStatus outcome={action.outcome} testId="staff-result" />
    </fieldset>
  );
}

function GroupEditor({ groupId, onChanged }: { groupId: string; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [version, setVersion] = useState(0);
  const detail = useResource(`register-group:${groupId}#${version}`, (signal) => officerApi.group(groupId, signal));
  const group = detail.data?.id === groupId ? detail.data : null;
  const saved = () => {
    setVersion((v) => v + 1);
    onChanged();
  };
  if (detail.error) return <p className="notice notice-error">{t('errors.generic')}</p>;
  if (!group) return <p className="loading">{t('app.loading')}</p>;
  return (
    <div className="panel group-editor" data-testid="group-editor">
      <h3>
        {t('register.admin.groups.editing', { code: group.code })}{' '}
        <span className="cell-note">{pick(group.faculty, locale)}</span>
      </h3>
      <div className="register-columns">
        <Members key={`m${version}`} group={group} onSaved={saved} />
        <Staff key={`s${version}`} group={group} onSaved={saved} />
      </div>
    </div>
  );
}

export function GroupsSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const list = useList('register-groups', (signal) => officerApi.groups(signal));
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    if (selected && list.items && !list.items.some((g) => g.id === selected)) setSelected(null);
  }, [list.items, selected]);

  return (
    <Section
      title={t('register.admin.groups.title')}
      lead={t('register.admin.groups.lead')}
      error={list.error}
      testId="groups-section"
    >
      <ItemsTable
        items={list.items}
        empty={t('register.admin.groups.none')}
        caption={t('register.admin.groups.title')}
        testId="groups-table"
        head={
          <>
            <th scope="col">{t('register.admin.groups.code')}</th>
            <th scope="col">{t('register.admin.groups.faculty')}</th>
            <th scope="col">{t('register.admin.common.academicYear')}</th>
            <th scope="col" className="numeric">
              {t('register.admin.groups.students')}
            </th>
            <th scope="col">{t('register.admin.common.actions')}</th>
          </>
        }
        row={(g) => (
          <tr key={g.id} data-testid="group-row" data-code={g.code}>
            <th scope="row">{g.code}</th>
            <td>
              {pick(g.faculty, locale)}
              {g.program && <div className="field-hint">{pick(g.program.name, locale)}</div>}
            </td>
            <td>{g.academicYear}</td>
            <td className="numeric">{g.studentCount}</td>
            <td>
              <button
                type="button"
                className="button button-quiet"
                aria-pressed={selected === g.id}
                onClick={() => setSelected(selected === g.id ? null : g.id)}
                data-testid="group-edit"
              >
                {t('register.admin.groups.edit', { code: g.code })}
              </button>
            </td>
          </tr>
        )}
      />
      {selected && <GroupEditor key={selected} groupId={selected} onChanged={list.reload} />}
      <CreateGroup onCreated={(group) => list.setItems((items) => [...(items ?? []), group])} />
    </Section>
  );
}

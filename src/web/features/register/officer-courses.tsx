/** Courses: create one for a group and term (scale, teachers), generate its weekly sessions, add assessments. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api';
import type { FormErrors } from '../../ui/errors';
import { Field, SubmitButton } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { SelectField } from '../agency/controls';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import {
  ASSESSMENT_KINDS,
  type AssessmentKind,
  type CourseRef,
  officerApi,
  SCALES,
  type Scale,
  SESSION_KINDS,
} from './officer-api';
import { BilingualFields, explainRegisterError, ItemsTable, OfficerForm, Section, useList } from './officer-controls';
import { TeacherChooser } from './officer-staff-picker';

const COURSE_FIELDS = ['termId', 'groupId', 'code', 'name.en', 'name.ru', 'scale', 'hours', 'credits', 'teacherIds'];

function failed(fields: FormErrors['fields']): FormErrors {
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

function CreateCourse({ onCreated }: { onCreated: (course: CourseRef) => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const terms = useResource('register-terms-open', (signal) => officerApi.terms(signal));
  const groups = useResource('register-groups-for-courses', (signal) => officerApi.groups(signal));
  const [teacherIds, setTeacherIds] = useState<string[]>([]);
  const [reset, setReset] = useState(0);
  const { formRef, busy, errors, onSubmit } = useForm(COURSE_FIELDS, explainRegisterError);
  const [created, setCreated] = useState<string | null>(null);

  const check = (data: FormData) => {
    const fields: FormErrors['fields'] = {};
    for (const name of ['termId', 'groupId', 'code', 'name.en', 'name.ru', 'scale'])
      if (textOf(data, name).trim() === '') fields[name] = { key: 'fieldErrors.required' };
    const hours = textOf(data, 'hours').trim();
    if (hours && !(Number.isInteger(Number(hours)) && Number(hours) > 0))
      fields.hours = { key: 'register.admin.courses.wholePositive' };
    const credits = textOf(data, 'credits').trim().replace(',', '.');
    if (credits && !(Number(credits) > 0)) fields.credits = { key: 'register.admin.courses.positive' };
    return failed(fields);
  };
  const submit = onSubmit(check, async (data, form) => {
    const hours = textOf(data, 'hours').trim();
    const credits = textOf(data, 'credits').trim().replace(',', '.');
    const course = await officerApi.createCourse({
      termId: textOf(data, 'termId'),
      groupId: textOf(data, 'groupId'),
      code: textOf(data, 'code').trim(),
      name: { en: textOf(data, 'name.en').trim(), ru: textOf(data, 'name.ru').trim() },
      scale: textOf(data, 'scale') as Scale,
      ...(hours ? { hours: Number(hours) } : {}),
      ...(credits ? { credits: Number(credits) } : {}),
      teacherIds,
    });
    form.reset();
    setTeacherIds([]);
    setReset((n) => n + 1);
    setCreated(course.code);
    onCreated(course);
  });

  return (
    <OfficerForm
      formRef={formRef}
      onSubmit={submit}
      testId="course-form"
      title={t('register.admin.courses.create')}
      error={errors.general}
      done={created ? { key: created, message: t('register.admin.courses.created', { code: created }) } : null}
    >
      <div className="settings-grid">
        <SelectField name="termId" label={t('register.admin.courses.term')} error={errors.fields.termId}>
          <option value="">{t('register.admin.courses.chooseTerm')}</option>
          {(terms.data?.items ?? [])
            .filter((term) => term.closedAt === null)
            .map((term) => (
              <option key={term.id} value={term.id}>
                {pick(term.name, locale)} ({term.academicYear})
              </option>
            ))}
        </SelectField>
        <SelectField name="groupId" label={t('register.admin.courses.group')} error={errors.fields.groupId}>
          <option value="">{t('register.admin.courses.chooseGroup')}</option>
          {(groups.data?.items ?? []).map((g) => (
            <option key={g.id} value={g.id}>
              {g.code} ({g.academicYear})
            </option>
          ))}
        </SelectField>
        <Field name="code" label={t('register.admin.courses.code')} error={errors.fields.code} autoComplete="off" />
        <SelectField
          name="scale"
          label={t('register.admin.courses.scale')}
          defaultValue="five_point"
          error={errors.fields.scale}
        >
          {SCALES.map((scale) => (
            <option key={scale} value={scale}>
              {t(`register.admin.scales.${scale}`)}
            </option>
          ))}
        </SelectField>
        <Field
          name="hours"
          type="number"
          min={1}
          step={1}
          label={t('register.admin.courses.hours')}
          hint={t('register.admin.common.optional')}
          error={errors.fields.hours}
        />
        <Field
          name="credits"
          inputMode="decimal"
          label={t('register.admin.courses.credits')}
          hint={t('register.admin.common.optional')}
          error={errors.fields.credits}
        />
      </div>
      <BilingualFields name="name" label={t('register.admin.courses.name')} errors={errors} />
      <TeacherChooser
        key={reset}
        error={errors.fields.teacherIds}
        value={teacherIds}
        onChange={setTeacherIds}
        legend={t('register.admin.courses.teachers')}
        testId="course-teachers"
      />
      <SubmitButton busy={busy}>{t('register.admin.courses.createSubmit')}</SubmitButton>
    </OfficerForm>
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** A weekday's name in the interface language (1 = Monday … 7 = Sunday). */
function weekdayName(day: number, locale: string): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
}

function WeeklySessions({ course, onCreated }: { course: CourseRef; onCreated: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(
    ['weekly.from', 'weekly.to', 'weekly.weekdays', 'weekly.time', 'weekly.kind'],
    explainRegisterError,
  );
  const [created, setCreated] = useState<number | null>(null);
  const check = (data: FormData) => {
    const fields: FormErrors['fields'] = {};
    const from = textOf(data, 'weekly.from');
    const to = textOf(data, 'weekly.to');
    if (!from) fields['weekly.from'] = { key: 'fieldErrors.required' };
    if (!to) fields['weekly.to'] = { key: 'fieldErrors.required' };
    if (from && to && to < from) fields['weekly.to'] = { key: 'register.admin.terms.endsBeforeStart' };
    if (data.getAll('weekly.weekdays').length === 0)
      fields['weekly.weekdays'] = { key: 'register.admin.sessions.chooseDay' };
    if (!/^\d{2}:\d{2}$/.test(textOf(data, 'weekly.time'))) fields['weekly.time'] = { key: 'fieldErrors.required' };
    return failed(fields);
  };
  const submit = onSubmit(check, async (data) => {
    setCreated(null);
    const result = await officerApi.weeklySessions(course.id, {
      from: textOf(data, 'weekly.from'),
      to: textOf(data, 'weekly.to'),
      weekdays: data.getAll('weekly.weekdays').map(Number),
      time: textOf(data, 'weekly.time'),
      kind: textOf(data, 'weekly.kind'),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    setCreated(result.created);
    onCreated();
  });
  const dayError = errors.fields['weekly.weekdays'];
  return (
    <OfficerForm
      formRef={formRef}
      onSubmit={submit}
      testId="sessions-form"
      title={t('register.admin.sessions.title')}
      hint={t('register.admin.sessions.hint')}
      nested
      error={errors.general}
      done={
        created !== null ? { key: created, message: t('register.admin.sessions.created', { count: created }) } : null
      }
    >
      <div className="settings-grid">
        <Field
          name="weekly.from"
          type="date"
          label={t('register.admin.sessions.from')}
          error={errors.fields['weekly.from']}
        />
        <Field
          name="weekly.to"
          type="date"
          label={t('register.admin.sessions.to')}
          error={errors.fields['weekly.to']}
        />
        <Field
          name="weekly.time"
          type="time"
          defaultValue="09:00"
          label={t('register.admin.sessions.time')}
          hint={t('register.admin.sessions.timeHint')}
          error={errors.fields['weekly.time']}
        />
        <SelectField name="weekly.kind" label={t('register.admin.sessions.kind')} defaultValue="practical">
          {SESSION_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`register.admin.sessions.kinds.${kind}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset
        className="check-group weekdays"
        aria-invalid={dayError ? true : undefined}
        aria-describedby={dayError ? `${id}-days-error` : undefined}
      >
        <legend>{t('register.admin.sessions.weekdays')}</legend>
        {WEEKDAYS.map((day) => (
          <label key={day} className="check">
            <input type="checkbox" name="weekly.weekdays" value={day} data-testid={`weekday-${day}`} />
            <span>{weekdayName(day, locale)}</span>
          </label>
        ))}
        {dayError && (
          <p className="field-error" id={`${id}-days-error`}>
            {t(dayError.key, dayError.values)}
          </p>
        )}
      </fieldset>
      <SubmitButton busy={busy}>{t('register.admin.sessions.submit')}</SubmitButton>
    </OfficerForm>
  );
}

function AddAssessment({ course, onAdded }: { course: CourseRef; onAdded: () => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(['title', 'kind', 'weight', 'heldOn'], explainRegisterError);
  const [added, setAdded] = useState<string | null>(null);
  const check = (data: FormData) => {
    const fields: FormErrors['fields'] = {};
    if (textOf(data, 'title').trim() === '') fields.title = { key: 'fieldErrors.required' };
    const weight = Number(textOf(data, 'weight').replace(',', '.'));
    if (!(weight > 0)) fields.weight = { key: 'register.admin.courses.positive' };
    return failed(fields);
  };
  const submit = onSubmit(check, async (data, form) => {
    const heldOn = textOf(data, 'heldOn');
    const assessment = await officerApi.addAssessment(course.id, {
      title: textOf(data, 'title').trim(),
      kind: textOf(data, 'kind') as AssessmentKind,
      weight: Number(textOf(data, 'weight').replace(',', '.')),
      ...(heldOn ? { heldOn } : {}),
    });
    form.reset();
    setAdded(assessment.title);
    onAdded();
  });
  return (
    <OfficerForm
      formRef={formRef}
      onSubmit={submit}
      testId="assessment-form"
      title={t('register.admin.assessments.add')}
      nested
      error={errors.general}
      done={added ? { key: added, message: t('register.admin.assessments.added', { title: added }) } : null}
    >
      <div className="settings-grid">
        <Field
          name="title"
          label={t('register.admin.assessments.titleField')}
          error={errors.fields.title}
          autoComplete="off"
        />
        <SelectField
          name="kind"
          label={t('register.admin.assessments.kind')}
          defaultValue="current"
          error={errors.fields.kind}
        >
          {ASSESSMENT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`register.admin.assessments.kinds.${kind}`)}
            </option>
          ))}
        </SelectField>
        <Field
          name="weight"
          inputMode="decimal"
          defaultValue="1"
          label={t('register.admin.assessments.weight')}
          hint={t('register.admin.assessments.weightHint')}
          error={errors.fields.weight}
        />
        <Field
          name="heldOn"
          type="date"
          label={t('register.admin.assessments.heldOn')}
          hint={t('register.admin.common.optional')}
          error={errors.fields.heldOn}
        />
      </div>
      <SubmitButton busy={busy}>{t('register.admin.assessments.submit')}</SubmitButton>
    </OfficerForm>
  );
}

interface SheetOutline {
  sessions: { id: string }[];
  assessments: { id: string; title: string; kind: AssessmentKind; weight: number }[];
}

function CourseEditor({ course }: { course: CourseRef }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [version, setVersion] = useState(0);
  const sheet = useResource(`register-sheet:${course.id}#${version}`, (signal) =>
    request<SheetOutline>('GET', `/api/v1/register/courses/${encodeURIComponent(course.id)}/sheet`, undefined, {
      signal,
    }),
  );
  const refresh = () => setVersion((v) => v + 1);
  return (
    <div className="panel course-editor" data-testid="course-editor">
      <h3>
        {course.code} · {pick(course.name, locale)}
      </h3>
      <p data-testid="course-outline">
        {sheet.data
          ? t('register.admin.courses.outline', {
              sessions: sheet.data.sessions.length,
              assessments: sheet.data.assessments.length,
            })
          : t('app.loading')}
      </p>
      {sheet.data && sheet.data.assessments.length > 0 && (
        <ul className="compact-list" data-testid="assessment-list">
          {sheet.data.assessments.map((a) => (
            <li key={a.id}>
              {a.title} — {t(`register.admin.assessments.kinds.${a.kind}`)},{' '}
              {t('register.admin.assessments.weightIs', { weight: a.weight })}
            </li>
          ))}
        </ul>
      )}
      <div className="register-columns">
        <WeeklySessions course={course} onCreated={refresh} />
        <AddAssessment course={course} onAdded={refresh} />
      </div>
    </div>
  );
}

export function CoursesSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const list = useList('register-courses', (signal) => officerApi.courses(signal));
  const [selected, setSelected] = useState<string | null>(null);
  const course = list.items?.find((c) => c.id === selected) ?? null;
  return (
    <Section
      title={t('register.admin.courses.title')}
      lead={t('register.admin.courses.lead')}
      error={list.error}
      testId="courses-section"
    >
      <ItemsTable
        items={list.items}
        empty={t('register.admin.courses.none')}
        caption={t('register.admin.courses.title')}
        testId="courses-table"
        head={
          <>
            <th scope="col">{t('register.admin.courses.code')}</th>
            <th scope="col">{t('register.admin.courses.name')}</th>
            <th scope="col">{t('register.admin.courses.group')}</th>
            <th scope="col">{t('register.admin.courses.term')}</th>
            <th scope="col">{t('register.admin.courses.scale')}</th>
            <th scope="col">{t('register.admin.courses.teachers')}</th>
            <th scope="col">{t('register.admin.common.actions')}</th>
          </>
        }
        row={(c) => (
          <tr key={c.id} data-testid="course-row" data-code={c.code}>
            <td>{c.code}</td>
            <th scope="row">{pick(c.name, locale)}</th>
            <td>{c.group.code}</td>
            <td>
              {pick(c.term.name, locale)}
              {c.term.closedAt && <span className="badge badge-muted">{t('register.admin.terms.closed')}</span>}
            </td>
            <td>{t(`register.admin.scales.${c.scale}`)}</td>
            <td>{c.teachers.map((x) => x.fullName).join(', ') || '—'}</td>
            <td>
              <button
                type="button"
                className="button button-quiet"
                aria-pressed={selected === c.id}
                onClick={() => setSelected(selected === c.id ? null : c.id)}
                data-testid="course-edit"
              >
                {t('register.admin.courses.edit', { code: c.code })}
              </button>
            </td>
          </tr>
        )}
      />
      {course && <CourseEditor key={course.id} course={course} />}
      <CreateCourse
        onCreated={(created) => {
          list.setItems((items) => [...(items ?? []), created]);
          setSelected(created.id);
        }}
      />
    </Section>
  );
}

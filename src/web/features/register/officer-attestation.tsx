/**
 * Final results of one student: the state attestation with the specialist qualification awarded
 * (S2-6, S0-9) or the completion of the preparatory faculty (S1-2); and the student's transcripts.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../ui/dates';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { SelectField } from '../agency/controls';
import { localeOf, pick } from '../catalog/format';
import { ATTESTATION_KINDS, type Attestation, type AttestationKind, officerApi, type StudentItem } from './officer-api';
import { BilingualFields, explainRegisterError, Section, studentName, useList } from './officer-controls';

const FIELDS = ['kind', 'heldOn', 'result', 'grade', 'qualification.en', 'qualification.ru', 'protocolNumber'] as const;

function AttestationForm({ student, onRecorded }: { student: StudentItem; onRecorded: (a: Attestation) => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS, explainRegisterError);
  const [kind, setKind] = useState<AttestationKind>('state_attestation');
  const [result, setResult] = useState<'passed' | 'failed'>('passed');
  const needsQualification = kind === 'state_attestation' && result === 'passed';

  const check = (data: FormData): FormErrors => {
    const fields: FormErrors['fields'] = {};
    if (!textOf(data, 'heldOn')) fields.heldOn = { key: 'fieldErrors.required' };
    if (needsQualification) {
      if (textOf(data, 'qualification.en').trim() === '') fields['qualification.en'] = { key: 'fieldErrors.required' };
      if (textOf(data, 'qualification.ru').trim() === '') fields['qualification.ru'] = { key: 'fieldErrors.required' };
    }
    const grade = textOf(data, 'grade').trim().replace(',', '.');
    if (grade && !Number.isFinite(Number(grade))) fields.grade = { key: 'fieldErrors.invalid_type' };
    return Object.keys(fields).length > 0
      ? { general: { key: 'errors.validation_failed' }, fields }
      : { general: null, fields };
  };
  const submit = onSubmit(check, async (data, form) => {
    const grade = textOf(data, 'grade').trim().replace(',', '.');
    const protocol = textOf(data, 'protocolNumber').trim();
    const en = textOf(data, 'qualification.en').trim();
    const ru = textOf(data, 'qualification.ru').trim();
    const recorded = await officerApi.addAttestation(student.id, {
      kind,
      heldOn: textOf(data, 'heldOn'),
      result,
      ...(grade ? { grade: Number(grade) } : {}),
      ...(kind === 'state_attestation' && (en || ru) ? { qualification: { en, ru } } : {}),
      ...(protocol ? { protocolNumber: protocol } : {}),
    });
    form.reset();
    onRecorded(recorded);
  });

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate data-testid="attestation-form">
      <FormError error={errors.general} />
      <div className="settings-grid">
        <SelectField
          name="kind"
          label={t('register.admin.attestation.kind')}
          value={kind}
          onChange={(event) => setKind(event.target.value as AttestationKind)}
          error={errors.fields.kind}
        >
          {ATTESTATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`register.admin.attestation.kinds.${k}`)}
            </option>
          ))}
        </SelectField>
        <Field name="heldOn" type="date" label={t('register.admin.attestation.heldOn')} error={errors.fields.heldOn} />
        <SelectField
          name="result"
          label={t('register.admin.attestation.result')}
          value={result}
          onChange={(event) => setResult(event.target.value as 'passed' | 'failed')}
          error={errors.fields.result}
        >
          <option value="passed">{t('register.admin.attestation.results.passed')}</option>
          <option value="failed">{t('register.admin.attestation.results.failed')}</option>
        </SelectField>
        <Field
          name="grade"
          inputMode="decimal"
          label={t('register.admin.attestation.grade')}
          hint={t('register.admin.common.optional')}
          error={errors.fields.grade}
        />
        <Field
          name="protocolNumber"
          label={t('register.admin.attestation.protocol')}
          hint={t('register.admin.common.optional')}
          error={errors.fields.protocolNumber}
          autoComplete="off"
        />
      </div>
      {kind === 'state_attestation' && (
        <>
          <BilingualFields name="qualification" label={t('register.admin.attestation.qualification')} errors={errors} />
          <p className="field-hint">
            {needsQualification
              ? t('register.admin.attestation.qualificationRequired')
              : t('register.admin.attestation.qualificationOptional')}
          </p>
        </>
      )}
      <p className="field-hint">
        {result === 'passed'
          ? t(`register.admin.attestation.effect.${kind}`)
          : t('register.admin.attestation.effect.failed')}
      </p>
      <SubmitButton busy={busy}>{t('register.admin.attestation.submit')}</SubmitButton>
    </form>
  );
}

function Transcripts({ student }: { student: StudentItem }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <ul className="section-links" data-testid="transcript-links">
      <li>
        <a href={officerApi.transcriptUrl(student.id, 'pdf', 'en')} download data-testid="transcript-pdf-en">
          {t('register.admin.attestation.transcriptPdfEn')}
        </a>
      </li>
      <li>
        <a href={officerApi.transcriptUrl(student.id, 'pdf', 'ru')} download data-testid="transcript-pdf-ru">
          {t('register.admin.attestation.transcriptPdfRu')}
        </a>
      </li>
      <li>
        <a href={officerApi.transcriptUrl(student.id, 'xlsx', locale)} download data-testid="transcript-xlsx">
          {t('register.admin.attestation.transcriptXlsx')}
        </a>
      </li>
    </ul>
  );
}

export function AttestationSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const list = useList(`register-students-attestation:${search}`, (signal) =>
    officerApi.students(search ? { q: search } : {}, signal),
  );
  const [studentId, setStudentId] = useState('');
  const student = list.items?.find((s) => s.id === studentId) ?? null;
  const [recorded, setRecorded] = useState<Attestation[]>([]);

  return (
    <Section
      title={t('register.admin.attestation.title')}
      lead={t('register.admin.attestation.lead')}
      error={list.error}
      testId="attestation-section"
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
      <div className="field">
        <label htmlFor={`${id}-student`}>{t('register.admin.attestation.student')}</label>
        <select
          id={`${id}-student`}
          value={studentId}
          onChange={(event) => {
            setStudentId(event.target.value);
            setRecorded([]);
          }}
          data-testid="attestation-student"
        >
          <option value="">{t('register.admin.attestation.chooseStudent')}</option>
          {(list.items ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {studentName(s)} · {s.number}
            </option>
          ))}
        </select>
      </div>
      {student && (
        <div className="panel" data-testid="attestation-panel">
          <h3>{studentName(student)}</h3>
          <Transcripts student={student} />
          {recorded.map((a) => (
            <Success key={a.id}>
              <p>
                {t('register.admin.attestation.recorded', {
                  kind: t(`register.admin.attestation.kinds.${a.kind}`),
                  date: formatDate(a.heldOn, locale),
                  result: t(`register.admin.attestation.results.${a.result}`),
                })}
                {a.qualification &&
                  ` ${t('register.admin.attestation.awarded', { qualification: pick(a.qualification, locale) })}`}
              </p>
            </Success>
          ))}
          <AttestationForm
            key={student.id}
            student={student}
            onRecorded={(a) => {
              setRecorded((current) => [...current, a]);
              list.reload();
            }}
          />
        </div>
      )}
    </Section>
  );
}

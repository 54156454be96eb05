import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { catalogApi, LEVELS, type ProgramDetail } from './catalog-api';
import { SelectField } from './edit-controls';
import {
  type EditErrors,
  type EditState,
  editErrors,
  inputNames,
  NO_EDIT_ERRORS,
  toInput,
  toState,
} from './edit-model';
import { DurationRows, SourceRows, WindowRows } from './edit-rows';
import { StudySection, TextsSection, TuitionSection } from './edit-sections';
import { localeOf, pick } from './format';
import { failureTitle, LoadFailure } from './load-failure';
import { canEditProgram } from './permissions';
import { useResource } from './use-resource';

/** Checks the API cannot word well: a source row without its field, or two rows for one field. */
function checkSources(state: EditState): EditErrors {
  const fields: EditErrors['fields'] = {};
  const seen = new Set<string>();
  state.sources.forEach((row, index) => {
    if (row.field === '') fields[`sourceField.${index}`] = { key: 'catalog.edit.fieldRequired' };
    else if (seen.has(row.field)) fields[`sourceField.${index}`] = { key: 'catalog.edit.fieldTwice' };
    seen.add(row.field);
  });
  return Object.keys(fields).length > 0 ? { general: { key: 'catalog.edit.invalid' }, fields } : NO_EDIT_ERRORS;
}

function EditForm({ program }: { program: ProgramDetail }) {
  const { t } = useTranslation();
  const [state, setState] = useState<EditState>(() => toState(program));
  const [errors, setErrors] = useState<EditErrors>(NO_EDIT_ERRORS);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(0);
  const [failures, setFailures] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const set = <K extends keyof EditState>(key: K, value: EditState[K]) =>
    setState((current) => ({ ...current, [key]: value }));
  const e = errors.fields;

  // After a failed save, go to the first field to correct (or the summary).
  useEffect(() => {
    if (failures === 0) return;
    const form = formRef.current;
    (
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[role="alert"]')
    )?.focus();
  }, [failures]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(0);
    const problems = checkSources(state);
    if (problems.general) {
      setErrors(problems);
      setFailures((n) => n + 1);
      return;
    }
    setBusy(true);
    setErrors(NO_EDIT_ERRORS);
    try {
      await catalogApi.saveProgram(toInput(state, program.slug, program.university.slug));
      setSaved((n) => n + 1);
    } catch (error) {
      setErrors(editErrors(error));
      setFailures((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const placed = (name: string) => e[name];
  // Errors of no input here (the list as a whole, say) are listed with the summary.
  const names = inputNames(state);
  const unplaced = Object.entries(e).filter(([name]) => !names.has(name));
  return (
    <form ref={formRef} className="form edit-form" onSubmit={submit} noValidate aria-labelledby="edit-title">
      {saved > 0 && (
        <Success key={saved}>
          <p>{t('catalog.edit.saved')}</p>
          <Link href={`/programs/${encodeURIComponent(program.slug)}`}>{t('catalog.edit.toProgram')}</Link>
        </Success>
      )}
      <FormError error={errors.general}>
        {unplaced.length > 0 && (
          <ul>
            {unplaced.map(([name, message]) => (
              <li key={name}>
                <code>{name}</code>: {t(message.key, message.values)}
              </li>
            ))}
          </ul>
        )}
      </FormError>

      <fieldset className="edit-section">
        <legend>{t('catalog.edit.basics')}</legend>
        <Field
          name="title.en"
          label={t('catalog.edit.titleEn')}
          lang="en"
          value={state.titleEn}
          onChange={(ev) => set('titleEn', ev.target.value)}
          error={placed('title.en')}
          required
        />
        <Field
          name="title.ru"
          label={t('catalog.edit.titleRu')}
          lang="ru"
          value={state.titleRu}
          onChange={(ev) => set('titleRu', ev.target.value)}
          error={placed('title.ru')}
          required
        />
        <Field
          name="specialtyCode"
          label={t('catalog.fields.specialtyCode')}
          hint={t('catalog.edit.specialtyCodeHint')}
          value={state.specialtyCode}
          onChange={(ev) => set('specialtyCode', ev.target.value)}
          error={placed('specialtyCode')}
          spellCheck={false}
        />
        <SelectField
          name="level"
          label={t('catalog.fields.level')}
          value={state.level}
          onChange={(v) => set('level', v as EditState['level'])}
          error={placed('level')}
        >
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {t(`catalog.enums.level.${level}`)}
            </option>
          ))}
        </SelectField>
      </fieldset>

      <StudySection state={state} set={set} placed={placed} />
      <TuitionSection state={state} set={set} placed={placed} />
      <TextsSection state={state} set={set} placed={placed} />

      <DurationRows rows={state.durations} onChange={(rows) => set('durations', rows)} errors={e} />
      <WindowRows rows={state.windows} onChange={(rows) => set('windows', rows)} errors={e} />
      <SourceRows rows={state.sources} onChange={(rows) => set('sources', rows)} errors={e} />

      <SubmitButton busy={busy}>{t('catalog.edit.submit')}</SubmitButton>
    </form>
  );
}

/** The form officers (of the program's university) and administrators correct a program with. */
export function ProgramEditPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const { data, error } = useResource(slug, (signal) => catalogApi.program(slug, signal));
  const program = data?.slug === slug ? data : null;
  const allowed = program ? canEditProgram(user, program.university.id) : true;
  usePageTitle(
    error
      ? failureTitle(error, t)
      : !allowed
        ? t('forbidden.title')
        : program
          ? t('catalog.edit.title', { title: pick(program.title, locale) })
          : t('catalog.edit.pageTitle'),
  );

  if (error) return <LoadFailure error={error} notFoundKey="catalog.program.notFound" />;
  if (!program) return <p className="loading page-placeholder">{t('app.loading')}</p>;
  if (!allowed) {
    return (
      <section className="page page-narrow" data-testid="access-denied">
        <h1>{t('forbidden.title')}</h1>
        <p>{t('catalog.edit.denied')}</p>
        <p>
          <Link href={`/programs/${encodeURIComponent(slug)}`}>{t('catalog.edit.toProgram')}</Link>
        </p>
      </section>
    );
  }
  return (
    <div className="edit-page">
      <p className="breadcrumbs">
        <Link href={`/programs/${encodeURIComponent(slug)}`}>{t('catalog.edit.toProgram')}</Link>
      </p>
      <header className="page-header">
        <h1 id="edit-title">{t('catalog.edit.title', { title: pick(program.title, locale) })}</h1>
        <p className="lead">{t('catalog.edit.lead')}</p>
      </header>
      <EditForm key={program.updatedAt} program={program} />
    </div>
  );
}

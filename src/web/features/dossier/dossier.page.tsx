import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { type Dossier, type DossierView, dossierApi } from './dossier-api';
import { BindingContext, type FormBinding } from './dossier-fields';
import {
  type DossierErrors,
  type FormState,
  type ListName,
  NO_ERRORS,
  newRow,
  saveErrors,
  toDossier,
  toState,
  valueAt,
  withValue,
} from './dossier-model';
import { EducationSection } from './education-section';
import { IdentitySection, PassportSection, VisaSection } from './identity-sections';
import { CertificatesSection, InternshipSection, LettersSection, PortfolioSection } from './more-sections';

const SECTIONS = [
  'identity',
  'passport',
  'visa',
  'education',
  'internship',
  'languageCertificates',
  'achievements',
  'letters',
] as const;

/**
 * The dossier form; `save` defaults to the applicant's own dossier (a consultant acting for an applicant
 * passes the agency's), and `documentsHref` to the applicant's documents page (null: no link).
 */
export function DossierForm({
  initial,
  save = dossierApi.save,
  documentsHref = '/documents',
  labelledBy = 'dossier-title',
}: {
  initial: DossierView;
  save?: (dossier: Dossier) => Promise<DossierView>;
  documentsHref?: string | null;
  labelledBy?: string;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState(initial);
  const [state, setState] = useState<FormState>(() => toState(initial.dossier));
  const [errors, setErrors] = useState<DossierErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(0);
  const [failures, setFailures] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  // After a failed save, go to the first field to correct (or the summary).
  useEffect(() => {
    if (failures === 0) return;
    const form = formRef.current;
    (
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[role="alert"]')
    )?.focus();
  }, [failures]);

  const binding = useMemo<FormBinding>(
    () => ({
      get: (path) => valueAt(state, path),
      set: (path, value) => setState((current) => withValue(current, path, value)),
      error: (path) => errors.fields[path],
    }),
    [state, errors],
  );

  const add = useCallback((list: ListName) => {
    setState((current) => ({
      ...current,
      lists: { ...current.lists, [list]: [...current.lists[list], newRow(list)] },
    }));
  }, []);
  // Errors are kept by index: after a removal they would point at the wrong entry, so they go.
  const remove = useCallback((list: ListName, index: number) => {
    setState((current) => ({
      ...current,
      lists: { ...current.lists, [list]: current.lists[list].filter((_, i) => i !== index) },
    }));
    setErrors((current) => ({
      general: current.general,
      fields: Object.fromEntries(Object.entries(current.fields).filter(([path]) => !path.startsWith(`${list}.`))),
    }));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(0);
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const next = await save(toDossier(state));
      setView({ ...next, grades: next.grades.length > 0 ? next.grades : view.grades });
      setSaved((n) => n + 1);
    } catch (error) {
      setErrors(saveErrors(error));
      setFailures((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  // Errors of no input on the page (a list as a whole, say) are listed with the summary.
  const unplaced = Object.entries(errors.fields).filter(
    ([path]) => !formRef.current?.querySelector(`[name="${CSS.escape(path)}"]`),
  );

  return (
    <BindingContext.Provider value={binding}>
      <form
        ref={formRef}
        className="form edit-form dossier-form"
        onSubmit={submit}
        noValidate
        aria-labelledby={labelledBy}
      >
        <nav aria-label={t('dossier.contents')} className="form-contents">
          <ul>
            {SECTIONS.map((section) => (
              <li key={section}>
                <a href={`#dossier-${section}`}>{t(`dossier.sections.${section}`)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <IdentitySection />
        <PassportSection />
        <VisaSection />
        <EducationSection
          rows={state.lists.education}
          onAdd={() => add('education')}
          onRemove={(index) => remove('education', index)}
          grades={view.grades}
          saved={view.dossier?.education ?? []}
        />
        <InternshipSection />
        <CertificatesSection rows={state.lists.languageCertificates} onAdd={add} onRemove={remove} />
        <PortfolioSection
          achievements={state.lists.achievements}
          recommendations={state.lists.recommendations}
          onAdd={add}
          onRemove={remove}
        />
        <LettersSection />

        <div className="form-footer">
          <FormError error={errors.general}>
            {unplaced.length > 0 && (
              <ul>
                {unplaced.map(([path, message]) => (
                  <li key={path}>
                    <code>{path}</code>: {t(message.key, message.values)}
                  </li>
                ))}
              </ul>
            )}
          </FormError>
          {saved > 0 && (
            <Success key={saved}>
              <p>{t('dossier.saved')}</p>
              {documentsHref && (
                <p>
                  <Link href={documentsHref}>{t('dossier.toDocuments')}</Link>
                </p>
              )}
            </Success>
          )}
          <SubmitButton busy={busy}>{busy ? t('dossier.saving') : t('dossier.save')}</SubmitButton>
        </div>
      </form>
    </BindingContext.Provider>
  );
}

/** The applicant's dossier: what they tell about themselves, saved as a whole. */
export function DossierPage() {
  const { t } = useTranslation();
  const { data, error } = useResource('dossier', (signal) => dossierApi.mine(signal));
  usePageTitle(error ? failureTitle(error, t) : t('dossier.title'));
  if (error) return <LoadFailure error={error} notFoundKey="notFound.text" />;
  return (
    <div className="edit-page">
      <header className="page-header">
        <h1 id="dossier-title">{t('dossier.title')}</h1>
        <p className="lead">{t('dossier.lead')}</p>
      </header>
      {data ? <DossierForm initial={data} /> : <p className="loading page-placeholder">{t('app.loading')}</p>}
    </div>
  );
}

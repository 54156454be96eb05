/** A parent's or sponsor's linked students, and a request to be linked to one (the student accepts). */
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { describeError, type Message } from '../../ui/errors';
import { FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { catalogApi } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { type GuardianRelation, registerApi } from './register-api';
import { LoadProblem } from './student-load-problem';
import { displayName } from './student-view';
import './grid-register.css';

function RequestForm() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const universities = useResource('universities', (signal) => catalogApi.universities(signal));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [sent, setSent] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const empty = ['studentNumber', 'universitySlug'].filter((name) => text(name) === '');
    setMissing(empty);
    if (empty.length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await registerApi.requestLink({
        studentNumber: text('studentNumber'),
        universitySlug: text('universitySlug'),
        relation: text('relation') as GuardianRelation,
        ...(text('dateOfBirth') ? { dateOfBirth: text('dateOfBirth') } : {}),
      });
      setSent(true);
    } catch (failure) {
      setError(describeError(failure, []).general);
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <Success>
        <p data-testid="request-sent">{t('register.parent.requestSent')}</p>
      </Success>
    );
  }
  const required = (name: string) =>
    missing.includes(name) ? (
      <p className="field-error" id={`${name}-error`}>
        {t('fieldErrors.required')}
      </p>
    ) : null;
  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="parent-request-title">
      <h2 id="parent-request-title">{t('register.parent.requestTitle')}</h2>
      <p className="field-hint">{t('register.parent.requestHint')}</p>
      <FormError error={error} />
      <div className="field">
        <label htmlFor="request-university">{t('register.student.university')}</label>
        <select
          id="request-university"
          name="universitySlug"
          defaultValue=""
          aria-invalid={missing.includes('universitySlug') || undefined}
          aria-describedby={missing.includes('universitySlug') ? 'universitySlug-error' : undefined}
        >
          <option value="">{t('register.parent.chooseUniversity')}</option>
          {universities.data?.items.map((u) => (
            <option key={u.slug} value={u.slug}>
              {pick(u.name, locale)}
            </option>
          ))}
        </select>
        {required('universitySlug')}
      </div>
      <div className="field">
        <label htmlFor="request-number">{t('register.student.number')}</label>
        <input
          id="request-number"
          name="studentNumber"
          autoComplete="off"
          aria-invalid={missing.includes('studentNumber') || undefined}
          aria-describedby={missing.includes('studentNumber') ? 'studentNumber-error' : undefined}
        />
        {required('studentNumber')}
      </div>
      <div className="field">
        <label htmlFor="request-birth">{t('register.parent.dateOfBirth')}</label>
        <input id="request-birth" name="dateOfBirth" type="date" />
      </div>
      <div className="field">
        <label htmlFor="request-relation">{t('register.guardian.relation')}</label>
        <select id="request-relation" name="relation" defaultValue="parent">
          <option value="parent">{t('register.guardian.relations.parent')}</option>
          <option value="sponsor">{t('register.guardian.relations.sponsor')}</option>
        </select>
      </div>
      <SubmitButton busy={busy}>{t('register.parent.requestSubmit')}</SubmitButton>
    </form>
  );
}

export function ParentChildrenPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  usePageTitle(t('register.parent.title'));
  const children = useResource('children', (signal) => registerApi.children(signal));

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('register.parent.title')}</h1>
        <p className="lead">{t('register.parent.intro')}</p>
      </header>
      {children.error && !children.data ? (
        <LoadProblem error={children.error} notFoundKey="register.parent.none" />
      ) : !children.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : children.data.items.length === 0 ? (
        <p className="empty" data-testid="children-empty">
          {t('register.parent.none')}
        </p>
      ) : (
        <ul className="cards register-children" data-testid="children">
          {children.data.items.map((child) => (
            <li key={child.studentId} className="card" data-testid="child">
              <h2 className="card-title">
                <Link href={`/register/students/${child.studentId}`} data-testid="child-link">
                  {displayName(child, locale)}
                </Link>
              </h2>
              <p>{pick(child.university.name, locale)}</p>
              <p className="field-hint">{t(`register.guardian.relations.${child.relation}`)}</p>
            </li>
          ))}
        </ul>
      )}
      <section className="panel">
        <RequestForm />
      </section>
    </div>
  );
}

import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../ui/dates';
import { usePageTitle } from '../../ui/page-title';
import { languageName } from '../../ui/regions';
import { Timeline, WindowInfo } from '../applications/application-parts';
import { ApplicationStatusBadge } from '../applications/applications.page';
import { applicationsApi } from '../applications/applications-api';
import { Checklist } from '../applications/checklist';
import { competitionLabel } from '../applications/choices-editor';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { DocumentCard } from '../documents/document-card';
import { type ApplicantDocument, DOCUMENT_KINDS, documentsApi } from '../documents/documents-api';
import { type Entries, entryLabel } from '../documents/kind-section';
import { dossierApi } from '../dossier/dossier-api';
import { DossierReadOnly } from '../dossier/dossier-view';
import { ExtensionForm } from './extension-form';
import { officeApi } from './office-api';
import { VerdictControls } from './verdict-controls';

/** One applicant of a campaign, for the admissions office: checklist, documents with verdicts, dossier. */
export function ApplicantPage({ slug, applicantId }: { slug: string; applicantId: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const officer = user?.role === 'officer';
  const [version, setVersion] = useState(0);
  const key = `${slug}:${applicantId}`;
  const campaign = useResource(slug, (signal) => applicationsApi.campaign(slug, signal));
  const view = useResource(`${key}:${version}`, (signal) => officeApi.applicant(slug, applicantId, signal));
  const dossier = useResource(key, (signal) => dossierApi.ofApplicant(applicantId, signal));
  const documents = useResource(key, (signal) => documentsApi.ofApplicant(applicantId, signal));
  const [items, setItems] = useState<ApplicantDocument[] | null>(null);
  const reload = useCallback(() => setVersion((n) => n + 1), []);
  const error = campaign.error ?? view.error ?? dossier.error ?? documents.error;

  useEffect(() => {
    if (documents.data) setItems(documents.data.items);
  }, [documents.data]);

  const entries = useMemo<Entries>(() => {
    const d = dossier.data?.dossier;
    return {
      education: (d?.education ?? []).map((e) => ({ id: e.id, label: `${e.institution} — ${e.title}` })),
      certificates: (d?.languageCertificates ?? []).map((c) => ({
        id: c.id,
        label: `${c.name} ${c.level} (${languageName(c.language, locale)})`,
      })),
    };
  }, [dossier.data, locale]);

  const d = dossier.data?.dossier;
  const name = d ? `${d.latinName.surname} ${d.latinName.givenNames}` : null;
  usePageTitle(error ? failureTitle(error, t) : (name ?? t('office.applicant.title')));
  if (error) return <LoadFailure error={error} notFoundKey="office.applicant.notFound" />;
  if (!campaign.data || !view.data || !dossier.data || !items) {
    return <p className="loading page-placeholder">{t('app.loading')}</p>;
  }

  const changed = (doc: ApplicantDocument) => {
    setItems((current) => (current ?? []).map((item) => (item.id === doc.id ? doc : item)));
    reload(); // The checklist follows the verdict.
  };
  const a = view.data.application;
  const sorted = [...items].sort((x, y) => DOCUMENT_KINDS.indexOf(x.kind) - DOCUMENT_KINDS.indexOf(y.kind));

  return (
    <div className="page applicant-page">
      <p className="breadcrumbs">
        <Link href={`/office/campaigns/${encodeURIComponent(slug)}`}>{pick(campaign.data.title, locale)}</Link>
      </p>
      <header className="page-header">
        <h1 data-testid="applicant-name">{name ?? t('office.applicant.title')}</h1>
        {a && (
          <p className="lead">
            <ApplicationStatusBadge status={a.status} /> <strong>{a.number}</strong>
            {a.submittedAt && ` · ${t('applications.submittedOn', { date: formatDateTime(a.submittedAt, locale) })}`}
          </p>
        )}
        {a?.snapshotSha256 && (
          <p className="field-hint receipt-hash">
            {t('applications.receipt.sha256')}: <code>{a.snapshotSha256}</code>
          </p>
        )}
      </header>

      <section aria-labelledby="applicant-checklist" className="application-section">
        <h2 id="applicant-checklist">{t('office.applicant.checklist')}</h2>
        {view.data.choices.map((choice) => (
          <article
            key={choice.competition.id}
            className="panel choice-card"
            data-testid={`checklist-${choice.priority}`}
          >
            <h3 className="choice-title">
              {t('applications.choices.priority', { n: choice.priority })}:{' '}
              {competitionLabel(choice.competition, t, locale)}
            </h3>
            <WindowInfo window={choice.window} extensionUntil={view.data?.extensionUntil ?? null} />
            <Checklist checks={choice.checks} requirements={campaign.data?.requirements ?? []} />
          </article>
        ))}
      </section>

      <section className="panel" aria-labelledby="applicant-documents">
        <h2 id="applicant-documents">{t('office.applicant.documents')}</h2>
        {sorted.length === 0 && <p className="empty">{t('office.applicant.noDocuments')}</p>}
        <div className="document-list">
          {sorted.map((doc) => (
            <div key={doc.id} className="office-document">
              <h3 className="office-document-kind">{t(`documents.kinds.${doc.kind}`)}</h3>
              <DocumentCard
                document={doc}
                relatesTo={entryLabel(doc.relatesTo, entries)}
                actions={officer ? <VerdictControls document={doc} onChange={changed} /> : undefined}
              />
            </div>
          ))}
        </div>
      </section>

      <section className="panel" aria-labelledby="applicant-dossier">
        <h2 id="applicant-dossier">{t('office.applicant.dossier')}</h2>
        <DossierReadOnly view={dossier.data} />
      </section>

      {officer && (
        <section className="panel" aria-labelledby="applicant-extension">
          <h2 id="applicant-extension">{t('office.extension.title')}</h2>
          <p className="field-hint">{t('office.extension.lead')}</p>
          <ExtensionForm slug={slug} applicantId={applicantId} current={view.data.extensionUntil} onGranted={reload} />
        </section>
      )}

      <section className="panel" aria-labelledby="applicant-history">
        <h2 id="applicant-history">{t('applications.steps.history')}</h2>
        <Timeline events={view.data.timeline} />
      </section>
    </div>
  );
}

/**
 * An applicant who granted the agency access, as the consultant sees them: the scope, the dossier and
 * the documents; with "view and act", uploads and dossier edits on their behalf (audited as such).
 * Without a grant (or once revoked) every request answers 404, and the page says "not found".
 */
import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { languageName } from '../../ui/regions';
import { localeOf } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { DocumentCard } from '../documents/document-card';
import { type ApplicantDocument, DOCUMENT_KINDS, type DocumentKind } from '../documents/documents-api';
import { FileUpload } from '../documents/file-upload';
import { type Entries, entriesFor, entryLabel } from '../documents/kind-section';
import { DossierForm } from '../dossier/dossier.page';
import type { DossierView } from '../dossier/dossier-api';
import { DossierReadOnly } from '../dossier/dossier-view';
import { ActionStatus, useAction } from './action-status';
import { agencyApi } from './agency-api';
import { ConsultantPicker } from './controls';
import { WorkPanels } from './work-panels';
import './agency.css';

function ScopeBadge({ scope }: { scope: 'view' | 'act' }) {
  const { t } = useTranslation();
  return (
    <span
      className={`badge ${scope === 'act' ? 'badge-good' : 'badge-muted'}`}
      data-testid="grant-scope"
      data-scope={scope}
    >
      {t(`agency.scope.${scope}`)}
    </span>
  );
}

function UploadForApplicant({
  applicantId,
  entries,
  onDone,
}: {
  applicantId: string;
  entries: Entries;
  onDone: (doc: ApplicantDocument) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [kind, setKind] = useState<DocumentKind>('passport');
  const [relatesTo, setRelatesTo] = useState('');
  const choices = entriesFor(kind, entries);
  return (
    <FileUpload
      label={t('agency.applicant.file')}
      hint={t('agency.applicant.uploadHint')}
      testId="agency-upload"
      submitTestId="agency-upload-submit"
      submitLabel={t('agency.applicant.upload')}
      upload={(file, onProgress) =>
        agencyApi.upload(
          applicantId,
          { kind, relatesTo: choices ? relatesTo || choices[0]?.id : undefined },
          file,
          onProgress,
        )
      }
      onDone={onDone}
    >
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('agency.applicant.kind')}</label>
        <select
          id={`${id}-kind`}
          value={kind}
          data-testid="agency-upload-kind"
          onChange={(event) => {
            setKind(event.target.value as DocumentKind);
            setRelatesTo('');
          }}
        >
          {DOCUMENT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`documents.kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {choices && choices.length > 0 && (
        <div className="field">
          <label htmlFor={`${id}-entry`}>{t('agency.applicant.entry')}</label>
          <select id={`${id}-entry`} value={relatesTo} onChange={(event) => setRelatesTo(event.target.value)}>
            {choices.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
      )}
    </FileUpload>
  );
}

/** The agency's consultant in charge of the case, and (for any consultant with access) a change of it. */
function CaseConsultant({
  applicantId,
  initial,
}: {
  applicantId: string;
  initial: { id: string; fullName: string } | null;
}) {
  const { t } = useTranslation();
  const consultants = useResource('consultants', (signal) => agencyApi.consultants(signal));
  const [current, setCurrent] = useState(initial);
  const [chosen, setChosen] = useState(initial?.id ?? '');
  const action = useAction();
  const team = consultants.data?.items.filter((c) => !c.disabled || c.id === current?.id) ?? [];
  const assign = () =>
    action.run(async () => {
      const { consultant } = await agencyApi.assignCase(applicantId, chosen || null);
      setCurrent(consultant);
      return consultant
        ? { key: 'agency.applicant.consultantSet', values: { name: consultant.fullName } }
        : { key: 'agency.applicant.consultantCleared' };
    });
  return (
    <div className="case-consultant">
      <p data-testid="case-consultant">
        {t('agency.applicant.consultant')}: <strong>{current ? current.fullName : t('agency.lead.nobody')}</strong>
      </p>
      {team.length > 0 && (
        <ConsultantPicker
          label={t('agency.applicant.changeConsultant')}
          value={chosen}
          onChange={setChosen}
          team={team}
          busy={action.busy}
          onAssign={() => void assign()}
          testId="case-consultant-select"
        />
      )}
      <ActionStatus outcome={action.outcome} testId="case-consultant-result" />
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function AgencyApplicantPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const summary = useResource(id, (signal) => agencyApi.applicant(id, signal));
  const dossier = useResource(id, (signal) => agencyApi.dossier(id, signal));
  const documents = useResource(id, (signal) => agencyApi.documents(id, signal));
  const [items, setItems] = useState<ApplicantDocument[] | null>(null);
  const [editing, setEditing] = useState(false);
  const [view, setView] = useState<DossierView | null>(null);
  const error = summary.error ?? dossier.error ?? documents.error;

  useEffect(() => {
    if (documents.data) setItems(documents.data.items);
  }, [documents.data]);
  useEffect(() => {
    if (dossier.data) setView(dossier.data);
  }, [dossier.data]);

  const entries = useMemo<Entries>(() => {
    const d = view?.dossier;
    return {
      education: (d?.education ?? []).map((e) => ({ id: e.id, label: `${e.institution} — ${e.title}` })),
      certificates: (d?.languageCertificates ?? []).map((c) => ({
        id: c.id,
        label: `${c.name} ${c.level} (${languageName(c.language, locale)})`,
      })),
    };
  }, [view, locale]);

  usePageTitle(error ? failureTitle(error, t) : (summary.data?.fullName ?? t('agency.applicant.title')));
  if (error) return <LoadFailure error={error} notFoundKey="agency.applicant.notFound" />;
  if (!summary.data || !view || !items) return <p className="loading page-placeholder">{t('app.loading')}</p>;
  const applicant = summary.data;
  const act = applicant.scope === 'act';
  const sorted = [...items].sort((x, y) => DOCUMENT_KINDS.indexOf(x.kind) - DOCUMENT_KINDS.indexOf(y.kind));

  return (
    <div className="page agency-page agency-applicant-page">
      <p className="breadcrumbs">
        <Link href="/agency/applicants">{t('agency.backToApplicants')}</Link>
      </p>
      <header className="page-header">
        <h1 data-testid="agency-applicant-name">{applicant.fullName}</h1>
        <p className="lead">
          <a href={`mailto:${applicant.email}`}>{applicant.email}</a> · <ScopeBadge scope={applicant.scope} />
        </p>
        <p className="field-hint">{act ? t('agency.applicant.actHint') : t('agency.applicant.viewHint')}</p>
        <CaseConsultant applicantId={id} initial={applicant.consultant ?? null} />
      </header>

      <Section id="agency-documents" title={t('agency.applicant.documents')}>
        {sorted.length === 0 && <p className="empty">{t('office.applicant.noDocuments')}</p>}
        <div className="document-list" data-testid="agency-documents">
          {sorted.map((doc) => (
            <div key={doc.id} className="office-document">
              <h3 className="office-document-kind">{t(`documents.kinds.${doc.kind}`)}</h3>
              <DocumentCard document={doc} relatesTo={entryLabel(doc.relatesTo, entries)} />
            </div>
          ))}
        </div>
        {act && (
          <div className="agency-upload">
            <h3>{t('agency.applicant.uploadTitle')}</h3>
            <UploadForApplicant
              applicantId={id}
              entries={entries}
              onDone={(doc) => setItems((current) => [...(current ?? []).filter((d) => d.id !== doc.id), doc])}
            />
          </div>
        )}
      </Section>

      <Section id="agency-dossier" title={t('agency.applicant.dossier')}>
        {act && (
          <p>
            <button
              type="button"
              className="button button-secondary"
              aria-expanded={editing}
              onClick={() => setEditing((on) => !on)}
              data-testid="agency-edit-dossier"
            >
              {editing ? t('agency.applicant.stopEditing') : t('agency.applicant.editDossier')}
            </button>
          </p>
        )}
        {editing && act ? (
          <DossierForm
            initial={view}
            save={async (d) => {
              const next = await agencyApi.saveDossier(id, d);
              setView(next);
              return next;
            }}
            documentsHref={null}
            labelledBy="agency-dossier"
          />
        ) : (
          <DossierReadOnly view={view} />
        )}
      </Section>

      <WorkPanels applicantId={id} act={act} />
    </div>
  );
}

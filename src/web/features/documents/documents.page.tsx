import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { languageName } from '../../ui/regions';
import { localeOf } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { type DossierView, dossierApi } from '../dossier/dossier-api';
import { type ApplicantDocument, type DocumentKind, documentsApi } from './documents-api';
import { type Entries, KindSection } from './kind-section';

const GROUPS: { id: string; kinds: DocumentKind[] }[] = [
  { id: 'identity', kinds: ['passport', 'photo', 'visa'] },
  {
    id: 'education',
    kinds: [
      'education_document',
      'transcript',
      'education_translation',
      'recognition',
      'internship_certificate',
      'language_certificate',
    ],
  },
  { id: 'health', kinds: ['medical_report'] },
  { id: 'category', kinds: ['ministry_referral', 'treaty_proof', 'compatriot_proof'] },
  { id: 'portfolio', kinds: ['achievement', 'motivation_letter', 'recommendation'] },
];

function useEntries(view: DossierView | null): Entries {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return useMemo(() => {
    const d = view?.dossier;
    return {
      education: (d?.education ?? []).map((e) => ({ id: e.id, label: `${e.institution} — ${e.title}` })),
      certificates: (d?.languageCertificates ?? []).map((c) => ({
        id: c.id,
        label: `${c.name} ${c.level} (${languageName(c.language, locale)})`,
      })),
    };
  }, [view, locale]);
}

function Summary({ documents }: { documents: ApplicantDocument[] }) {
  const { t } = useTranslation();
  const count = (status: ApplicantDocument['status']) => documents.filter((d) => d.status === status).length;
  const rejected = count('rejected');
  return (
    <div className="documents-summary">
      <p data-testid="documents-summary">
        {t('documents.summary', { count: documents.length, accepted: count('accepted'), pending: count('pending') })}
      </p>
      {rejected > 0 && (
        <p className="notice notice-error" data-testid="rejected-notice">
          {t('documents.rejectedNotice', { count: rejected })}
        </p>
      )}
    </div>
  );
}

/** Category documents matter for one admission category only: show that one (and any already uploaded). */
const FOR_CATEGORY: Partial<Record<DocumentKind, string>> = {
  ministry_referral: 'quota',
  treaty_proof: 'treaty',
  compatriot_proof: 'compatriot',
};

function shownKinds(kinds: DocumentKind[], items: ApplicantDocument[], category: string | undefined): DocumentKind[] {
  return kinds.filter((kind) => {
    const only = FOR_CATEGORY[kind];
    return !only || only === category || items.some((d) => d.kind === kind);
  });
}

/** The applicant's documents by kind, with their verdicts and versions, and uploads. */
export function DocumentsPage() {
  const { t } = useTranslation();
  const documents = useResource('documents', (signal) => documentsApi.mine(signal));
  const dossier = useResource('dossier', (signal) => dossierApi.mine(signal));
  const [items, setItems] = useState<ApplicantDocument[] | null>(null);
  const entries = useEntries(dossier.data);
  const error = documents.error ?? dossier.error;
  usePageTitle(error ? failureTitle(error, t) : t('documents.title'));

  useEffect(() => {
    if (documents.data) setItems(documents.data.items);
  }, [documents.data]);

  const replace = (doc: ApplicantDocument) =>
    setItems((current) => {
      const list = current ?? [];
      return list.some((d) => d.id === doc.id) ? list.map((d) => (d.id === doc.id ? doc : d)) : [...list, doc];
    });

  if (error) return <LoadFailure error={error} notFoundKey="notFound.text" />;
  const category = dossier.data?.dossier?.category;
  const groups = GROUPS.map((group) => ({ ...group, kinds: shownKinds(group.kinds, items ?? [], category) })).filter(
    (group) => group.kinds.length > 0,
  );
  return (
    <div className="page documents-page">
      <header className="page-header">
        <h1>{t('documents.title')}</h1>
        <p className="lead">{t('documents.lead')}</p>
        <p>
          <Link href="/applications">{t('documents.toApplications')}</Link>
        </p>
      </header>
      {items === null || dossier.data === null ? (
        <p className="loading page-placeholder">{t('app.loading')}</p>
      ) : (
        <>
          <Summary documents={items} />
          <nav aria-label={t('documents.contents')} className="form-contents">
            <ul>
              {groups.map((group) => (
                <li key={group.id}>
                  <a href={`#documents-${group.id}`}>{t(`documents.groups.${group.id}`)}</a>
                </li>
              ))}
            </ul>
          </nav>
          {groups.map((group) => (
            <section key={group.id} className="document-group" aria-labelledby={`documents-${group.id}`}>
              <h2 id={`documents-${group.id}`}>{t(`documents.groups.${group.id}`)}</h2>
              {group.kinds.map((kind) => (
                <KindSection
                  key={kind}
                  kind={kind}
                  documents={items.filter((d) => d.kind === kind)}
                  entries={entries}
                  onChange={replace}
                />
              ))}
            </section>
          ))}
        </>
      )}
    </div>
  );
}

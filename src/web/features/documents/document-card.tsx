/** One document: its verdict (with the reason of a rejection), what it is for, and every version, newest first. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatDate, formatDateTime } from '../../ui/dates';
import { localeOf } from '../catalog/format';
import { type ApplicantDocument, documentsApi } from './documents-api';
import { FileUpload } from './file-upload';
import { IssueDateEditor } from './issue-date';

export function StatusBadge({ status }: { status: ApplicantDocument['status'] }) {
  const { t } = useTranslation();
  const tone = status === 'accepted' ? 'badge-good' : status === 'rejected' ? 'badge-bad' : 'badge-muted';
  return <span className={`badge ${tone}`}>{t(`documents.status.${status}`)}</span>;
}

export function DocumentCard({
  document: doc,
  relatesTo,
  actions,
  onReplaced,
}: {
  document: ApplicantDocument;
  /** The dossier entry it is for, in words (an institution, a certificate). */
  relatesTo: string | null;
  /** The officer's verdict buttons. */
  actions?: ReactNode;
  /** Given for the applicant: lets them upload a new version. */
  onReplaced?: (document: ApplicantDocument) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const current = doc.versions.find((v) => v.version === doc.currentVersion) ?? doc.versions[0];
  return (
    <article
      className={`document-card document-${doc.status}`}
      data-testid={`document-${doc.id}`}
      data-status={doc.status}
      aria-label={t('documents.cardLabel', { kind: t(`documents.kinds.${doc.kind}`), name: current?.fileName ?? '' })}
    >
      <div className="document-head">
        <StatusBadge status={doc.status} />
        <span className="document-name">{current?.fileName}</span>
      </div>
      {(relatesTo || doc.issuedOn) && (
        <p className="document-meta">
          {relatesTo && t('documents.relatesTo', { entry: relatesTo })}
          {relatesTo && doc.issuedOn ? ' · ' : ''}
          {doc.issuedOn && t('documents.issuedOnValue', { date: formatDate(doc.issuedOn, locale) })}
        </p>
      )}
      {doc.status === 'rejected' && doc.rejection && (
        <div className="notice notice-error document-rejection" data-testid={`rejection-${doc.id}`}>
          <p>
            <strong>{t('documents.rejectedBecause')}</strong>{' '}
            {t(`documents.rejection.${doc.rejection.code}`, { defaultValue: doc.rejection.code })}
          </p>
          {doc.rejection.note && (
            <p>
              {t('documents.officerNote')} <q>{doc.rejection.note}</q>
            </p>
          )}
          {onReplaced && <p>{t('documents.uploadFixed')}</p>}
        </div>
      )}
      {doc.status === 'accepted' && doc.verifiedAt && (
        <p className="document-meta">{t('documents.acceptedOn', { date: formatDateTime(doc.verifiedAt, locale) })}</p>
      )}
      <div className="document-versions">
        <p className="versions-title">{t('documents.versions', { count: doc.versions.length })}</p>
        <ol reversed className="version-list">
          {doc.versions.map((v) => (
            <li key={v.version}>
              <a href={v.downloadUrl} download data-testid={`download-${doc.id}-${v.version}`}>
                {t('documents.download', { version: v.version, name: v.fileName })}
              </a>
              <span className="version-meta">
                {[
                  formatBytes(v.size, locale),
                  v.width && v.height ? `${v.width}×${v.height}` : null,
                  formatDateTime(v.uploadedAt, locale),
                  v.version === doc.currentVersion ? t('documents.current') : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ol>
      </div>
      {actions}
      {onReplaced && doc.kind === 'medical_report' && <IssueDateEditor document={doc} onChange={onReplaced} />}
      {onReplaced && (
        <FileUpload
          label={t('documents.newVersion')}
          testId={`reupload-${doc.id}`}
          submitTestId={`reupload-submit-${doc.id}`}
          submitLabel={t('documents.uploadVersion')}
          upload={(file, onProgress) => documentsApi.uploadVersion(doc.id, file, onProgress)}
          onDone={onReplaced}
        />
      )}
    </article>
  );
}

/** The documents of one kind, and the form that uploads another (for an education entry, with an issue date…). */
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { HealthConsentGate } from '../privacy/health-consent';
import { DocumentCard } from './document-card';
import {
  type ApplicantDocument,
  CERTIFICATE_KINDS,
  type DocumentKind,
  documentsApi,
  EDUCATION_KINDS,
} from './documents-api';
import { FileUpload } from './file-upload';

/** Health data (medical reports) is uploaded only after the person's consent; other kinds need none. */
function ConsentGate({ kind, children }: { kind: DocumentKind; children: ReactNode }) {
  return kind === 'medical_report' ? <HealthConsentGate>{children}</HealthConsentGate> : children;
}

export interface Entry {
  id: string;
  label: string;
}

export interface Entries {
  education: Entry[];
  certificates: Entry[];
}

/** The dossier entries a document of this kind may be for; null when the kind is not about one entry. */
export function entriesFor(kind: DocumentKind, entries: Entries): Entry[] | null {
  if (EDUCATION_KINDS.includes(kind)) return entries.education;
  if (CERTIFICATE_KINDS.includes(kind)) return entries.certificates;
  return null;
}

export function entryLabel(id: string | null, entries: Entries): string | null {
  if (!id) return null;
  return [...entries.education, ...entries.certificates].find((e) => e.id === id)?.label ?? id;
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function KindSection({
  kind,
  documents,
  entries,
  onChange,
}: {
  kind: DocumentKind;
  documents: ApplicantDocument[];
  entries: Entries;
  onChange: (document: ApplicantDocument) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const options = entriesFor(kind, entries);
  const [relatesTo, setRelatesTo] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const chosen = options ? (options.some((o) => o.id === relatesTo) ? relatesTo : (options[0]?.id ?? '')) : '';
  const headingId = `${id}-heading`;
  return (
    <section className="kind-section panel" aria-labelledby={headingId} data-testid={`kind-${kind}`}>
      <h3 id={headingId} className="kind-title">
        {t(`documents.kinds.${kind}`)}
      </h3>
      <p className="field-hint kind-hint">{t(`documents.hints.${kind}`)}</p>
      {documents.length > 0 && (
        <div className="document-list">
          {documents.map((doc) => (
            <DocumentCard
              key={doc.id}
              document={doc}
              relatesTo={entryLabel(doc.relatesTo, entries)}
              onReplaced={onChange}
            />
          ))}
        </div>
      )}
      {options && options.length === 0 ? (
        <p className="notice notice-info">
          {t(kind === 'language_certificate' ? 'documents.needCertificate' : 'documents.needEducation')}{' '}
          <Link href="/dossier">{t('documents.toDossier')}</Link>
        </p>
      ) : (
        <ConsentGate kind={kind}>
          <FileUpload
            label={documents.length > 0 ? t('documents.fileAnother') : t('documents.file')}
            testId={`upload-${kind}`}
            submitTestId={`upload-submit-${kind}`}
            submitLabel={t('documents.upload')}
            upload={(file, onProgress) =>
              documentsApi.upload(
                { kind, relatesTo: chosen || undefined, issuedOn: issuedOn || undefined },
                file,
                onProgress,
              )
            }
            onDone={onChange}
          >
            {options && (
              <div className="field">
                <label htmlFor={`${id}-relates`}>
                  {t(kind === 'language_certificate' ? 'documents.forCertificate' : 'documents.forEducation')}
                </label>
                <select
                  id={`${id}-relates`}
                  name="relatesTo"
                  data-testid={`upload-relates-${kind}`}
                  value={chosen}
                  onChange={(event) => setRelatesTo(event.target.value)}
                >
                  {options.map((option) => (
                    <option key={option.id} value={option.id}>
                      {option.label}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {kind === 'medical_report' && (
              <div className="field">
                <label htmlFor={`${id}-issued`}>{t('documents.issuedOn')}</label>
                <input
                  id={`${id}-issued`}
                  type="date"
                  name="issuedOn"
                  max={today()}
                  data-testid={`upload-issued-${kind}`}
                  value={issuedOn}
                  onChange={(event) => setIssuedOn(event.target.value)}
                  aria-describedby={`${id}-issued-hint`}
                />
                <p className="field-hint" id={`${id}-issued-hint`}>
                  {t('documents.issuedOnHint')}
                </p>
              </div>
            )}
          </FileUpload>
        </ConsentGate>
      )}
    </section>
  );
}

/** The applicant corrects the issue date of a medical report (its freshness is checked against it). */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type Message } from '../../ui/errors';
import { type ApplicantDocument, documentsApi } from './documents-api';

export function IssueDateEditor({
  document: doc,
  onChange,
}: {
  document: ApplicantDocument;
  onChange: (document: ApplicantDocument) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [value, setValue] = useState(doc.issuedOn ?? '');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Message | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      onChange(await documentsApi.updateFacts(doc.id, { issuedOn: value || null }));
      setStatus({ key: 'documents.issueDateSaved' });
    } catch (error) {
      setStatus(describeError(error, ['issuedOn']).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="issue-date-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={id}>{t('documents.issuedOn')}</label>
        <input
          id={id}
          type="date"
          name="issuedOn"
          value={value}
          data-testid={`issued-on-${doc.id}`}
          onChange={(event) => setValue(event.target.value)}
        />
      </div>
      <button
        type="submit"
        className="button button-quiet"
        disabled={busy || value === (doc.issuedOn ?? '')}
        data-testid={`issued-on-save-${doc.id}`}
      >
        {t('documents.saveIssueDate')}
      </button>
      <p className="upload-status" role="status">
        {status ? t(status.key, status.values) : ''}
      </p>
    </form>
  );
}

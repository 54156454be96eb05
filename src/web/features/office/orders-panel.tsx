/** Enrollment orders: issue one per competition (its confirmed applicants), and download them as PDF or XLSX. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/dates';
import { describeError, type FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { admissionsApi } from '../admissions/admissions-api';
import type { Competition } from '../applications/applications-api';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';

const FIELDS = ['competitionId', 'signedBy'] as const;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (textOf(data, 'competitionId') === '') fields.competitionId = { key: 'allocation.orders.competitionRequired' };
  if (textOf(data, 'signedBy').trim().length < 2) fields.signedBy = { key: 'allocation.orders.signedByRequired' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

const DOCUMENTS = [
  { format: 'pdf', lang: 'en' },
  { format: 'pdf', lang: 'ru' },
  { format: 'xlsx', lang: 'en' },
  { format: 'xlsx', lang: 'ru' },
] as const;

export function OrdersPanel({
  slug,
  competitions,
  version,
  onChanged,
}: {
  slug: string;
  competitions: Competition[];
  version: number;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [issued, setIssued] = useState<string | null>(null);
  const orders = useResource(`${slug}:${version}`, (signal) => admissionsApi.orders(slug, signal));
  const submit = onSubmit(check, async (data) => {
    const order = await admissionsApi.issueOrder(slug, textOf(data, 'competitionId'), textOf(data, 'signedBy').trim());
    setIssued(order.number);
    onChanged();
  });
  const error = errors.fields.competitionId;

  return (
    <>
      <form ref={formRef} className="form issue-order" onSubmit={submit} noValidate data-testid="issue-order">
        <div className="settings-grid">
          <div className="field">
            <label htmlFor={`${id}-competition`}>{t('allocation.orders.competition')}</label>
            <select
              id={`${id}-competition`}
              name="competitionId"
              defaultValue=""
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-competition-error` : undefined}
            >
              <option value="">{t('allocation.seats.choose')}</option>
              {competitions.map((c) => (
                <option key={c.id} value={c.id}>
                  {pick(c.program.title, locale)} · {t(`catalog.enums.funding.${c.funding}`)}
                </option>
              ))}
            </select>
            {error && (
              <p className="field-error" id={`${id}-competition-error`}>
                {t(error.key, error.values)}
              </p>
            )}
          </div>
          <Field
            name="signedBy"
            label={t('allocation.orders.signedBy')}
            hint={t('allocation.orders.signedByHint')}
            error={errors.fields.signedBy}
            maxLength={200}
            required
          />
        </div>
        <p className="field-hint">{t('allocation.orders.hint')}</p>
        <FormError error={errors.general} />
        <SubmitButton busy={busy}>{t('allocation.orders.issue')}</SubmitButton>
        <p className="verdict-status" role="status" aria-live="polite" data-testid="order-issued">
          {issued && t('allocation.orders.issued', { number: issued })}
        </p>
      </form>

      {orders.error ? (
        <FormError error={describeError(orders.error, []).general} />
      ) : !orders.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : orders.data.items.length === 0 ? (
        <p className="empty">{t('allocation.orders.none')}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" tabIndex={0} aria-labelledby="allocation-orders-title">
          <table className="table" data-testid="orders-table">
            <caption className="visually-hidden">{t('allocation.orders.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('allocation.orders.number')}</th>
                <th scope="col">{t('allocation.orders.competition')}</th>
                <th scope="col" className="numeric">
                  {t('allocation.orders.students')}
                </th>
                <th scope="col">{t('allocation.orders.issuedAt')}</th>
                <th scope="col">{t('allocation.orders.documents')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.items.map((o) => (
                <tr key={o.id} data-testid="order-row" data-order={o.id}>
                  <td>
                    <strong>{o.number}</strong>
                    {o.quotaReferral && <div className="field-hint">{t('allocation.orders.quotaReferral')}</div>}
                  </td>
                  <td>
                    {pick(o.program, locale)}
                    <div className="field-hint">{t(`catalog.enums.funding.${o.funding}`)}</div>
                  </td>
                  <td className="numeric">{o.students}</td>
                  <td>{formatDateTime(o.issuedAt, locale)}</td>
                  <td>
                    <ul className="download-links">
                      {DOCUMENTS.map((d) => (
                        <li key={`${d.format}-${d.lang}`}>
                          <a
                            href={admissionsApi.orderUrl(o.id, d.format, d.lang)}
                            download
                            data-testid={`order-${d.format}-${d.lang}`}
                          >
                            {t(`allocation.orders.download.${d.format}`, {
                              language: t(`allocation.orders.language.${d.lang}`),
                            })}
                          </a>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

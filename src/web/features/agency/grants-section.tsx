/** "Agencies with access": the applicant's grants, active and revoked, each revocable at once (after a confirmation). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { formatDateTime } from '../../ui/dates';
import { localeOf, pick } from '../catalog/format';
import { LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { ActionStatus, useAction } from './action-status';
import { agencyApi, type Grant } from './agency-api';
import { MyAdaptation } from './my-adaptation';
import './agency.css';

export function GrantsSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const loaded = useResource('grants', (signal) => agencyApi.grants(signal));
  const [items, setItems] = useState<Grant[] | null>(null);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const action = useAction();

  useEffect(() => {
    if (loaded.data) setItems(loaded.data.items);
  }, [loaded.data]);

  const revoke = async () => {
    const grant = revoking;
    if (!grant) return;
    await action.run(async () => {
      await agencyApi.revoke(grant.id);
      const { items: fresh } = await agencyApi.grants();
      setItems(fresh);
      return { key: 'agency.grants.revoked', values: { agency: pick(grant.agency.name, locale) } };
    });
    setRevoking(null);
  };

  return (
    <section className="panel" aria-labelledby="agencies" data-testid="agency-grants">
      <h2 id="agencies">{t('agency.grants.title')}</h2>
      <p className="field-hint">{t('agency.grants.lead')}</p>
      {loaded.error ? (
        <LoadFailure error={loaded.error} notFoundKey="notFound.text" />
      ) : !items ? (
        <p className="loading">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty">{t('agency.grants.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('agency.grants.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agency.grants.agency')}</th>
                <th scope="col">{t('agency.grants.scope')}</th>
                <th scope="col">{t('agency.grants.since')}</th>
                <th scope="col">{t('agency.grants.state')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((grant) => {
                const name = pick(grant.agency.name, locale);
                return (
                  <tr
                    key={grant.id}
                    data-testid="grant-row"
                    data-agency={grant.agency.slug}
                    data-active={grant.revokedAt ? 'false' : 'true'}
                  >
                    <th scope="row">{name}</th>
                    <td>{t(`agency.scope.${grant.scope}`)}</td>
                    <td>{formatDateTime(grant.grantedAt, locale)}</td>
                    <td>
                      {grant.revokedAt ? (
                        t('agency.grants.revokedOn', { date: formatDateTime(grant.revokedAt, locale) })
                      ) : (
                        <button
                          type="button"
                          className="button button-danger"
                          onClick={() => setRevoking(grant)}
                          data-testid="grant-revoke"
                        >
                          {t('agency.grants.revoke', { agency: name })}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ActionStatus outcome={action.outcome} testId="grants-result" />
      <p className="field-hint">
        {t('agency.grants.howToAdd')} <Link href="/universities">{t('nav.universities')}</Link>
      </p>
      <ConfirmDialog
        open={revoking !== null}
        title={t('agency.grants.confirmTitle')}
        confirmLabel={t('agency.grants.confirm')}
        danger
        busy={action.busy}
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
        testId="revoke-dialog"
      >
        <p>{t('agency.grants.confirmText', { agency: revoking ? pick(revoking.agency.name, locale) : '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

/** The applicant's agency sections of the account page: the adaptation checklist (once arrived) and the grants. */
export function ApplicantAgencySections() {
  return (
    <>
      <MyAdaptation />
      <GrantsSection />
    </>
  );
}

/** Agency administrators: the consultants (add, disable, make administrator) and the partner universities. */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { currentLocale } from '../../i18n/i18n';
import { requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { catalogApi } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { ActionStatus, useAction } from './action-status';
import { agencyApi, type Consultant } from './agency-api';

const CONSULTANT_FIELDS = ['fullName', 'email', 'password'] as const;

function AddConsultant({ onAdded }: { onAdded: (c: Consultant) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(CONSULTANT_FIELDS);
  const [added, setAdded] = useState<string | null>(null);
  const submit = onSubmit(
    (data) => requireFilled(Object.fromEntries(CONSULTANT_FIELDS.map((n) => [n, textOf(data, n)]))),
    async (data, form) => {
      const consultant = await agencyApi.addConsultant({
        fullName: textOf(data, 'fullName').trim(),
        email: textOf(data, 'email').trim(),
        password: textOf(data, 'password'),
        locale: currentLocale(),
      });
      form.reset();
      setAdded(consultant.fullName);
      onAdded(consultant);
    },
  );
  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('agency.team.add')}</h3>
      <FormError error={errors.general} />
      {added && (
        <Success key={added}>
          <p>{t('agency.team.added', { name: added })}</p>
        </Success>
      )}
      <Field name="fullName" label={t('fields.fullName')} autoComplete="off" error={errors.fields.fullName} />
      <Field name="email" type="email" label={t('fields.email')} autoComplete="off" error={errors.fields.email} />
      <Field
        name="password"
        type="password"
        label={t('agency.team.password')}
        hint={t('fields.newPasswordHint')}
        autoComplete="new-password"
        error={errors.fields.password}
      />
      <SubmitButton busy={busy}>{t('agency.team.addSubmit')}</SubmitButton>
    </form>
  );
}

function Consultants({ admin }: { admin: boolean }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const loaded = useResource('consultants', (signal) => agencyApi.consultants(signal));
  const [items, setItems] = useState<Consultant[] | null>(null);
  const action = useAction();
  useEffect(() => {
    if (loaded.data) setItems(loaded.data.items);
  }, [loaded.data]);
  if (loaded.error) return <LoadFailure error={loaded.error} notFoundKey="notFound.text" />;
  if (!items) return <p className="loading">{t('app.loading')}</p>;

  const change = (c: Consultant, body: { disabled?: boolean; agencyAdmin?: boolean }) =>
    action.run(async () => {
      const updated = await agencyApi.updateConsultant(c.id, body);
      setItems((current) => (current ?? []).map((x) => (x.id === updated.id ? updated : x)));
      return { key: 'agency.team.changed', values: { name: updated.fullName } };
    });

  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="consultants-table">
          <caption className="visually-hidden">{t('agency.team.consultants')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('fields.fullName')}</th>
              <th scope="col">{t('fields.email')}</th>
              <th scope="col">{t('agency.team.role')}</th>
              {admin && <th scope="col">{t('agency.team.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-testid="consultant-row">
                <th scope="row">
                  {c.fullName} {c.disabled && <span className="badge badge-muted">{t('agency.team.disabled')}</span>}
                </th>
                <td className="cell-email">{c.email}</td>
                <td>{c.agencyAdmin ? t('agency.team.administrator') : t('agency.team.consultant')}</td>
                {admin && (
                  <td>
                    {c.id !== user?.id && (
                      <div className="actions">
                        <button
                          type="button"
                          className="button button-quiet"
                          disabled={action.busy}
                          onClick={() => change(c, { disabled: !c.disabled })}
                        >
                          {c.disabled
                            ? t('agency.team.enable', { name: c.fullName })
                            : t('agency.team.disable', { name: c.fullName })}
                        </button>
                        <button
                          type="button"
                          className="button button-quiet"
                          disabled={action.busy}
                          onClick={() => change(c, { agencyAdmin: !c.agencyAdmin })}
                        >
                          {c.agencyAdmin
                            ? t('agency.team.demote', { name: c.fullName })
                            : t('agency.team.promote', { name: c.fullName })}
                        </button>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ActionStatus outcome={action.outcome} testId="team-result" />
      {admin && <AddConsultant onAdded={(c) => setItems((current) => [...(current ?? []), c])} />}
    </>
  );
}

function Partners({ admin }: { admin: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const partners = useResource('partners', (signal) => agencyApi.partners(signal));
  const all = useResource(admin ? 'universities' : null, (signal) => catalogApi.universities(signal));
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const action = useAction();
  useEffect(() => {
    if (partners.data) setChosen(new Set(partners.data.universities.map((u) => u.slug)));
  }, [partners.data]);
  if (partners.error) return <LoadFailure error={partners.error} notFoundKey="notFound.text" />;
  if (!partners.data || !chosen) return <p className="loading">{t('app.loading')}</p>;

  if (!admin || !all.data) {
    return partners.data.universities.length === 0 ? (
      <p className="empty">{t('agency.team.noPartners')}</p>
    ) : (
      <ul className="plainlist" data-testid="partner-list">
        {partners.data.universities.map((u) => (
          <li key={u.slug}>{pick(u.name, locale)}</li>
        ))}
      </ul>
    );
  }
  const save = () =>
    action.run(async () => {
      const { universities } = await agencyApi.setPartners([...chosen]);
      return { key: 'agency.team.partnersSaved', values: { count: universities.length } };
    });
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <fieldset className="partner-choices">
        <legend id={`${id}-legend`}>{t('agency.team.partnersLegend')}</legend>
        {all.data.items.map((u) => (
          <label key={u.slug} className="check">
            <input
              type="checkbox"
              checked={chosen.has(u.slug)}
              onChange={(event) => {
                const next = new Set(chosen);
                if (event.target.checked) next.add(u.slug);
                else next.delete(u.slug);
                setChosen(next);
              }}
            />
            <span>{pick(u.name, locale)}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button button-primary" disabled={action.busy}>
        {t('agency.team.savePartners')}
      </button>
      <ActionStatus outcome={action.outcome} testId="partners-result" />
    </form>
  );
}

export function TeamSection() {
  const { t } = useTranslation();
  const { user } = useSession();
  const admin = user?.agencyAdmin === true;
  return (
    <>
      <section className="panel" aria-labelledby="team-consultants">
        <h2 id="team-consultants">{t('agency.team.consultants')}</h2>
        {!admin && <p className="field-hint">{t('agency.team.readOnly')}</p>}
        <Consultants admin={admin} />
      </section>
      <section className="panel" aria-labelledby="team-partners">
        <h2 id="team-partners">{t('agency.team.partners')}</h2>
        <p className="field-hint">{t('agency.team.partnersHint')}</p>
        <Partners admin={admin} />
      </section>
    </>
  );
}

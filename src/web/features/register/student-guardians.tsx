/** The student's parents and sponsors: invite by e-mail, accept a request, end a link (at once). */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { formatDateTime } from '../../ui/dates';
import { describeError, type Message } from '../../ui/errors';
import { FormError, SubmitButton } from '../../ui/form';
import { localeOf } from '../catalog/format';
import { type GuardianLink, type GuardianRelation, registerApi } from './register-api';

export function GuardiansSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [links, setLinks] = useState<GuardianLink[] | null>(null);
  const [loadError, setLoadError] = useState<Message | null>(null);
  const [email, setEmail] = useState('');
  const [relation, setRelation] = useState<GuardianRelation>('parent');
  const [mailLocale, setMailLocale] = useState<'en' | 'ru'>(locale);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<Message | null>(null);
  const [emailError, setEmailError] = useState<Message | undefined>(undefined);
  const [result, setResult] = useState<{ ok: boolean; message: Message } | null>(null);
  const [ending, setEnding] = useState<GuardianLink | null>(null);

  const load = useCallback(async () => {
    try {
      setLinks((await registerApi.guardians()).items);
      setLoadError(null);
    } catch (error) {
      setLoadError(describeError(error, []).general);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const invite = async (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) {
      setEmailError({ key: 'fieldErrors.byField.email.invalid_format' });
      return;
    }
    setEmailError(undefined);
    setBusy(true);
    setFormError(null);
    try {
      await registerApi.inviteGuardian({ email: email.trim(), relation, locale: mailLocale });
      setResult({ ok: true, message: { key: 'register.guardian.invited', values: { email: email.trim() } } });
      setEmail('');
      await load();
    } catch (error) {
      const described = describeError(error, ['email', 'relation']);
      setFormError(described.general);
      setEmailError(described.fields.email);
    } finally {
      setBusy(false);
    }
  };

  const act = async (link: GuardianLink, action: 'accept' | 'end') => {
    setBusy(true);
    setResult(null);
    try {
      if (action === 'accept') await registerApi.acceptGuardian(link.id);
      else await registerApi.endGuardian(link.id);
      setResult({
        ok: true,
        message: {
          key: `register.guardian.${action === 'accept' ? 'accepted' : 'ended'}`,
          values: { email: link.email },
        },
      });
      await load();
    } catch (error) {
      setResult({ ok: false, message: describeError(error, []).general ?? { key: 'errors.generic' } });
    } finally {
      setBusy(false);
      setEnding(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="register-guardians" data-testid="guardians">
      <h2 id="register-guardians">{t('register.guardian.title')}</h2>
      <p>{t('register.guardian.intro')}</p>
      {loadError && (
        <p className="field-error" role="alert">
          {t(loadError.key, loadError.values)}
        </p>
      )}
      {links && links.length === 0 && <p className="empty">{t('register.guardian.none')}</p>}
      {links && links.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('register.guardian.person')}</th>
                <th scope="col">{t('register.guardian.relation')}</th>
                <th scope="col">{t('register.guardian.status')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('register.guardian.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.map((link) => (
                <tr key={link.id} data-testid="guardian-row" data-email={link.email} data-status={link.status}>
                  <th scope="row">
                    {link.guardian?.fullName ?? link.email}
                    {link.guardian && <span className="field-hint register-block">{link.email}</span>}
                  </th>
                  <td>{t(`register.guardian.relations.${link.relation}`)}</td>
                  <td>
                    {t(`register.guardian.statuses.${link.status}`)}
                    <span className="field-hint register-block">
                      {formatDateTime(link.endedAt ?? link.confirmedAt ?? link.createdAt, locale)}
                    </span>
                  </td>
                  <td className="actions">
                    {link.status === 'requested' && (
                      <button
                        type="button"
                        className="button button-secondary"
                        disabled={busy}
                        onClick={() => void act(link, 'accept')}
                        data-testid="guardian-accept"
                      >
                        {t('register.guardian.accept')}
                      </button>
                    )}
                    {(link.status === 'active' || link.status === 'invited' || link.status === 'requested') && (
                      <button
                        type="button"
                        className="button button-quiet"
                        disabled={busy}
                        onClick={() => setEnding(link)}
                        data-testid="guardian-end"
                      >
                        {t(link.status === 'active' ? 'register.guardian.end' : 'register.guardian.cancel')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p
        className={`action-status${result && !result.ok ? ' field-error' : ''}`}
        role="status"
        aria-live="polite"
        data-testid="guardians-result"
      >
        {result ? t(result.message.key, result.message.values) : ''}
      </p>
      <form className="form register-invite" onSubmit={invite} noValidate aria-labelledby="guardian-invite-title">
        <h3 id="guardian-invite-title">{t('register.guardian.inviteTitle')}</h3>
        <FormError error={formError} />
        <div className="field">
          <label htmlFor="guardian-email">{t('fields.email')}</label>
          <input
            id="guardian-email"
            name="email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? 'guardian-email-error' : undefined}
          />
          {emailError && (
            <p className="field-error" id="guardian-email-error">
              {t(emailError.key, emailError.values)}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="guardian-relation">{t('register.guardian.relation')}</label>
          <select
            id="guardian-relation"
            name="relation"
            value={relation}
            onChange={(event) => setRelation(event.target.value as GuardianRelation)}
          >
            <option value="parent">{t('register.guardian.relations.parent')}</option>
            <option value="sponsor">{t('register.guardian.relations.sponsor')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="guardian-locale">{t('register.guardian.mailLanguage')}</label>
          <select
            id="guardian-locale"
            name="locale"
            value={mailLocale}
            onChange={(event) => setMailLocale(event.target.value === 'ru' ? 'ru' : 'en')}
            aria-describedby="guardian-locale-hint"
          >
            <option value="en">{t('language.en')}</option>
            <option value="ru">{t('language.ru')}</option>
          </select>
          <p className="field-hint" id="guardian-locale-hint">
            {t('register.guardian.mailLanguageHint')}
          </p>
        </div>
        <SubmitButton busy={busy}>{t('register.guardian.invite')}</SubmitButton>
      </form>
      <ConfirmDialog
        open={ending !== null}
        title={t('register.guardian.endTitle')}
        confirmLabel={t('register.guardian.end')}
        danger
        busy={busy}
        onCancel={() => setEnding(null)}
        onConfirm={() => ending && void act(ending, 'end')}
        testId="guardian-end-dialog"
      >
        <p>{t('register.guardian.endText', { who: ending?.guardian?.fullName ?? ending?.email ?? '' })}</p>
      </ConfirmDialog>
    </section>
  );
}

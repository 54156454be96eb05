/** The applicant's admission: anonymous code, state per priority with why, the offer and what comes next. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { explainChoice, ServerTime, StateBadge } from './admission-text';
import { admissionsApi, type MyCampaignAdmission } from './admissions-api';
import { OfferCard } from './offer-card';
import './admissions.css';

function CampaignAdmission({ item, onChanged }: { item: MyCampaignAdmission; onChanged: (done: string) => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const slug = item.campaign.slug;
  const listHref = (competitionId: string) =>
    `/lists/${encodeURIComponent(slug)}/${competitionId}?code=${encodeURIComponent(item.code)}`;
  return (
    <section
      className="panel admission-campaign"
      aria-labelledby={`admission-${slug}`}
      data-testid={`admission-${slug}`}
    >
      <h2 id={`admission-${slug}`}>{pick(item.campaign.title, locale)}</h2>
      <dl className="details">
        <div>
          <dt>{t('admission.code')}</dt>
          <dd>
            <code data-testid="my-code">{item.code}</code>
          </dd>
        </div>
        <div>
          <dt>{t('admission.lottery')}</dt>
          <dd data-testid="my-lottery">{item.lottery}</dd>
        </div>
        {item.run && (
          <div>
            <dt>{t('lists.run')}</dt>
            <dd>
              {t('lists.runNumber', { seq: item.run.seq })}, <ServerTime iso={item.run.publishedAt} />
            </dd>
          </div>
        )}
      </dl>
      <p className="field-hint">{t('admission.codeHint')}</p>
      <p>
        <Link href={`/lists/${encodeURIComponent(slug)}`} data-testid="public-lists-link">
          {t('admission.publicLists')}
        </Link>
      </p>

      <h3>{t('admission.priorities')}</h3>
      {item.choices.length === 0 ? (
        <p className="empty">{t('admission.noChoices')}</p>
      ) : (
        <ol className="priority-list" data-testid="my-priorities">
          {item.choices.map((c) => (
            <li key={c.priority} data-testid={`priority-${c.priority}`} data-state={c.state ?? ''}>
              <div className="priority-head">
                <span className="choice-priority" aria-hidden="true">
                  {c.priority}
                </span>
                <span className="visually-hidden">{t('applications.choices.priority', { n: c.priority })}: </span>
                <strong>{pick(c.program, locale)}</strong>
                <span className="field-hint">{t(`catalog.enums.funding.${c.funding}`)}</span>
                <StateBadge state={c.state} />
              </div>
              <p className="priority-why" data-testid={`priority-${c.priority}-why`}>
                {explainChoice(c, t, locale)}
                {c.position !== null && <> {t('admission.position', { position: c.position })}</>}
              </p>
              {c.state && (
                <Link href={listHref(c.competitionId)} data-testid={`priority-${c.priority}-list`}>
                  {t('admission.openList')}
                </Link>
              )}
            </li>
          ))}
        </ol>
      )}

      {item.admission ? (
        <OfferCard admission={item.admission} onChanged={onChanged} />
      ) : (
        <p className="empty" data-testid="no-offer">
          {t('admission.noOffer')}
        </p>
      )}
    </section>
  );
}

export function MyAdmissionsPage() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const reload = useCallback((message: string) => {
    setDone(message);
    setVersion((n) => n + 1);
  }, []);
  const mine = useResource(`mine:${version}`, (signal) => admissionsApi.mine(signal));
  usePageTitle(mine.error ? failureTitle(mine.error, t) : t('admission.title'));
  if (mine.error) return <LoadFailure error={mine.error} notFoundKey="notFound.text" />;

  return (
    <div className="page admissions-page">
      <header className="page-header">
        <h1>{t('admission.title')}</h1>
        <p className="lead">{t('admission.lead')}</p>
      </header>
      <div role="status" aria-live="polite" data-testid="admission-status">
        {done && <p className="notice notice-success">{t(done)}</p>}
      </div>
      {!mine.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : mine.data.items.length === 0 ? (
        <p className="empty" data-testid="no-admissions">
          {t('admission.none')}
        </p>
      ) : (
        mine.data.items.map((item) => <CampaignAdmission key={item.campaign.slug} item={item} onChanged={reload} />)
      )}
    </div>
  );
}

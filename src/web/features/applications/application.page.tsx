import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { ScoreBreakdownPanel } from '../reviews/score-breakdown';
import { Timeline, WindowInfo } from './application-parts';
import { ApplicationStatusBadge } from './applications.page';
import { type ApplicationView, applicationsApi, type Campaign } from './applications-api';
import { Checklist } from './checklist';
import { ChoicesEditor, competitionLabel } from './choices-editor';
import { SubmitPanel } from './submit-panel';

function ChoiceChecklists({ campaign, view }: { campaign: Campaign; view: ApplicationView }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  if (view.choices.length === 0) return <p className="empty">{t('applications.checklist.noChoices')}</p>;
  return (
    <div className="choice-checklists">
      {view.choices.map((choice) => {
        const blocking = choice.checks.filter((c) => c.blocking).length;
        return (
          <article
            key={choice.competition.id}
            className="panel choice-card"
            data-testid={`checklist-${choice.priority}`}
            data-complete={choice.complete}
            aria-labelledby={`choice-${choice.priority}-title`}
          >
            <h3 id={`choice-${choice.priority}-title`} className="choice-title">
              {t('applications.choices.priority', { n: choice.priority })}:{' '}
              {competitionLabel(choice.competition, t, locale)}
            </h3>
            <WindowInfo window={choice.window} extensionUntil={view.extensionUntil} />
            <p className={choice.complete ? 'check-summary is-complete' : 'check-summary'}>
              {choice.complete
                ? t('applications.checklist.complete')
                : t('applications.checklist.blocking', { count: blocking })}
            </p>
            <Checklist checks={choice.checks} requirements={campaign.requirements} showFixLinks />
          </article>
        );
      })}
    </div>
  );
}

/** One application: choices in priority order, their checklists and deadlines, submission and history. */
export function ApplicationPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [version, setVersion] = useState(0);
  const campaign = useResource(slug, (signal) => applicationsApi.campaign(slug, signal));
  const loaded = useResource(`${slug}:${version}`, (signal) => applicationsApi.application(slug, signal));
  const [view, setView] = useState<ApplicationView | null>(null);
  const [dirty, setDirty] = useState(false);
  const error = campaign.error ?? loaded.error;
  const title = campaign.data?.slug === slug ? pick(campaign.data.title, locale) : null;
  usePageTitle(error ? failureTitle(error, t) : (title ?? t('applications.title')));

  useEffect(() => {
    if (loaded.data) setView(loaded.data);
  }, [loaded.data]);
  const reload = useCallback(() => setVersion((n) => n + 1), []);

  if (error) return <LoadFailure error={error} notFoundKey="applications.notFound" />;
  if (!campaign.data || !view || view.campaign.slug !== slug) {
    return <p className="loading page-placeholder">{t('app.loading')}</p>;
  }
  const status = view.application?.status ?? 'draft';
  const allOpen = view.choices.every((c) => c.window.state === 'open');
  const editable = status === 'draft' || (status === 'submitted' && allOpen);
  const notes = campaign.data.notes ? pick(campaign.data.notes, locale) : null;

  return (
    <div className="page application-page">
      <p className="breadcrumbs">
        <Link href="/applications">{t('applications.title')}</Link>
      </p>
      <header className="page-header">
        <h1>{title}</h1>
        <p className="lead">
          {t(`catalog.enums.level.${campaign.data.level}`, { defaultValue: campaign.data.level })} ·{' '}
          {campaign.data.academicYear} <ApplicationStatusBadge status={status} />
          {view.application?.number && <span className="application-number"> {view.application.number}</span>}
        </p>
        {notes && <p className="prose">{notes}</p>}
      </header>

      <section className="panel" aria-labelledby="step-choices">
        <h2 id="step-choices">{t('applications.steps.choices')}</h2>
        <ChoicesEditor
          campaign={campaign.data}
          view={view}
          editable={editable}
          onSaved={setView}
          onDirtyChange={setDirty}
        />
      </section>

      <section aria-labelledby="step-checklist" className="application-section">
        <h2 id="step-checklist">{t('applications.steps.checklist')}</h2>
        <p className="field-hint">{t('applications.checklist.hint')}</p>
        <ChoiceChecklists campaign={campaign.data} view={view} />
      </section>

      <section className="panel" aria-labelledby="step-submit">
        <h2 id="step-submit">{t('applications.steps.submit')}</h2>
        <SubmitPanel view={view} dirty={dirty} onChanged={reload} />
      </section>

      {status === 'submitted' && (
        <>
          <ScoreBreakdownPanel slug={slug} />
          <section className="panel" aria-labelledby="step-exams">
            <h2 id="step-exams">{t('exams.mine.title')}</h2>
            <p>{t('exams.mine.fromApplication')}</p>
            <p>
              <Link href={`/exams/${encodeURIComponent(slug)}`} data-testid="exams-link">
                {t('exams.mine.open')}
              </Link>
            </p>
          </section>
        </>
      )}

      <section className="panel" aria-labelledby="step-history">
        <h2 id="step-history">{t('applications.steps.history')}</h2>
        <Timeline events={view.timeline} />
      </section>
    </div>
  );
}

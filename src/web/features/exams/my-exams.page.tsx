/** The applicant's entrance exams in a campaign: subjects, sittings to book, bookings, results, calendar. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../api';
import { describeError, type Message } from '../../ui/errors';
import { FormError } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { applicationsApi } from '../applications/applications-api';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { ExamSlotCard, type SlotActions } from './exam-slot-card';
import { examsApi } from './exams-api';
import { formatSpan } from './session-time';
import './exams.css';

export function MyExamsPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [version, setVersion] = useState(0);
  const campaign = useResource(slug, (signal) => applicationsApi.campaign(slug, signal));
  const exams = useResource(`${slug}:${version}`, (signal) => examsApi.mine(slug, signal));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<Message | null>(null);
  const title = campaign.data ? pick(campaign.data.title, locale) : null;
  const notSubmitted = exams.error instanceof ApiError && exams.error.status === 404 && !campaign.error;
  const loadError = campaign.error ?? (notSubmitted ? null : exams.error);
  usePageTitle(loadError ? failureTitle(loadError, t) : t('exams.mine.pageTitle', { campaign: title ?? '' }));
  if (loadError) return <LoadFailure error={loadError} notFoundKey="applications.notFound" />;

  const run = async (action: () => Promise<void>, message: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(message);
      setVersion((n) => n + 1);
    } catch (failure) {
      setError(describeError(failure, []).general ?? { key: 'errors.generic' });
      setVersion((n) => n + 1); // Seats may have changed meanwhile.
    } finally {
      setBusy(false);
    }
  };
  const actions: SlotActions = {
    book: (slot, session, optionId) =>
      void run(
        () => examsApi.book(slug, slot.slotId, { sessionId: session.id, optionId }),
        t('exams.mine.bookedFor', {
          exam: pick(slot.title, locale),
          when: formatSpan(session.startsAt, session.endsAt, locale),
        }),
      ),
    cancel: (slot) =>
      void run(() => examsApi.cancel(slug, slot.slotId), t('exams.mine.cancelled', { exam: pick(slot.title, locale) })),
  };
  const data = exams.data;

  return (
    <div className="page my-exams-page">
      <p className="breadcrumbs">
        <Link href={`/applications/${encodeURIComponent(slug)}`}>{title ?? t('applications.title')}</Link>
      </p>
      <header className="page-header">
        <h1>{t('exams.mine.title')}</h1>
        {title && <p className="lead">{title}</p>}
        <p className="field-hint">{t('exams.mine.lead')}</p>
      </header>

      {notSubmitted ? (
        <div className="notice notice-info" data-testid="exams-not-submitted">
          <p>{t('exams.mine.notSubmitted')}</p>
          <p>
            <Link href={`/applications/${encodeURIComponent(slug)}`}>{t('exams.mine.toApplication')}</Link>
          </p>
        </div>
      ) : !data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <>
          <p className="exam-calendar">
            <a href={examsApi.calendarUrl} download data-testid="exams-ics">
              {t('exams.mine.calendar')}
            </a>{' '}
            <span className="field-hint">{t('exams.mine.calendarHint')}</span>
          </p>
          <div className="exam-status" aria-live="polite" role="status" data-testid="exams-status">
            {done && <p className="notice notice-success">{done}</p>}
          </div>
          <FormError error={error} />
          {data.slots.length === 0 ? (
            <p className="empty">{t('exams.mine.noPlan')}</p>
          ) : (
            data.slots.map((slot) => (
              <ExamSlotCard
                key={slot.slotId}
                slot={slot}
                sessions={data.sessions}
                group={data.group}
                busy={busy}
                actions={actions}
              />
            ))
          )}
        </>
      )}
    </div>
  );
}

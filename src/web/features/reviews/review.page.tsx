/** One file to score: the applicant's dossier, the readers' scores for a senior, and the rubric as a form. */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { applicationsApi } from '../applications/applications-api';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { type DossierView, dossierApi } from '../dossier/dossier-api';
import { DossierReadOnly } from '../dossier/dossier-view';
import { ReadersPanel } from './readers-panel';
import { ReviewForm } from './review-form';
import { type FileStatus, type ReviewFile, reviewsApi } from './reviews-api';
import { type Draft, draftFromItems, initialDraft } from './score-model';
import './reviews.css';

function useDossier(file: ReviewFile): DossierView | null {
  const loaded = useResource(file.applicantId, (signal) => dossierApi.ofApplicant(file.applicantId, signal));
  // The file carries the dossier too; the full view adds the grades converted to the 5-point scale.
  if (loaded.data) return loaded.data;
  return loaded.error ? { dossier: file.dossier, updatedAt: null, grades: [] } : null;
}

export function ReviewPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const loaded = useResource(id, (signal) => reviewsApi.review(id, signal));
  const file = loaded.data?.id === id ? loaded.data : null;
  const title = file ? t('reviews.file.title', { number: file.applicationNumber ?? t('office.noNumber') }) : null;
  usePageTitle(loaded.error ? failureTitle(loaded.error, t) : (title ?? t('reviews.title')));
  if (loaded.error) return <LoadFailure error={loaded.error} notFoundKey="reviews.file.notFound" />;
  if (!file || !title) return <p className="loading page-placeholder">{t('app.loading')}</p>;
  return <ReviewFileView key={file.id} file={file} title={title} />;
}

function ReviewFileView({ file, title }: { file: ReviewFile; title: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const senior = file.role === 'senior';
  const campaign = useResource(file.campaign, (signal) => applicationsApi.campaign(file.campaign, signal));
  const progress = useResource(senior ? file.campaign : null, (signal) => reviewsApi.progress(file.campaign, signal));
  const dossier = useDossier(file);
  const [draft, setDraft] = useState<Draft>(() => initialDraft(file));
  const [status, setStatus] = useState<FileStatus | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const names = useMemo(
    () => new Map((progress.data?.items ?? []).map((p) => [p.reviewerId, p.name] as const)),
    [progress.data],
  );

  const submitted = (result: FileStatus) => {
    setStatus(result);
    reviewsApi.queue({ status: 'assigned' }).then(
      (queue) => setNext(queue.items.find((item) => item.id !== file.id)?.id ?? null),
      () => setNext(null),
    );
  };
  const startFrom = (index: number) => {
    const reader = file.readers[index];
    if (reader?.items) setDraft(draftFromItems(file.rubric, reader.items));
  };
  const shownStatus = status ? 'submitted' : file.status;

  return (
    <div className="page review-page">
      <p className="breadcrumbs">
        <Link href="/reviews">{t('reviews.title')}</Link>
      </p>
      <header className="page-header">
        <h1>{title}</h1>
        <p className="lead">
          {campaign.data ? pick(campaign.data.title, locale) : file.campaign} ·{' '}
          <span className={`badge ${senior ? 'badge-bad' : 'badge-muted'}`}>{t(`reviews.roles.${file.role}`)}</span>{' '}
          <span className={`badge ${shownStatus === 'submitted' ? 'badge-good' : 'badge-muted'}`}>
            {t(`reviews.status.${shownStatus}`)}
          </span>
        </p>
        <p className="field-hint">{t(senior ? 'reviews.file.seniorLead' : 'reviews.file.readerLead')}</p>
        <p className="field-hint">
          {pick(file.rubric.title, locale)}{' '}
          <span className="source">{t('catalog.source', { source: file.rubric.source })}</span>
        </p>
      </header>

      {senior && <ReadersPanel file={file} names={names} onStartFrom={startFrom} />}

      <div className="review-layout">
        <details className="panel review-dossier" open>
          <summary>
            <h2>{t('reviews.file.dossier')}</h2>
          </summary>
          {dossier ? <DossierReadOnly view={dossier} /> : <p className="loading">{t('app.loading')}</p>}
        </details>
        <section className="panel review-score" aria-labelledby="review-score-title">
          <h2 id="review-score-title">{t('reviews.file.score')}</h2>
          <ReviewForm file={file} draft={draft} setDraft={setDraft} onSubmitted={submitted} />
          {status && (
            <p className="review-next">
              {next ? (
                <Link href={`/reviews/${next}`} data-testid="next-review">
                  {t('reviews.file.next')}
                </Link>
              ) : (
                <Link href="/reviews">{t('reviews.file.backToQueue')}</Link>
              )}
            </p>
          )}
        </section>
      </div>
    </div>
  );
}

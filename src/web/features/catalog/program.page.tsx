import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { AskConsultantForm } from '../agency/ask-form';
import { catalogApi, type DurationRule, type ProgramDetail } from './catalog-api';
import { CompareToggle, CompareTray } from './compare-tray';
import {
  dateLocale,
  Fact,
  formatDuration,
  formatList,
  formatPlace,
  formatTuition,
  formatWindow,
  Known,
  localeOf,
  NotStated,
  pick,
  Source,
  yesNo,
} from './format';
import { failureTitle, LoadFailure } from './load-failure';
import { canEditProgram } from './permissions';
import { UniversityFacts } from './university-facts';
import { useResource } from './use-resource';

function ruleIntakes(rule: DurationRule, t: (key: string, values?: Record<string, unknown>) => string): string {
  const { fromIntakeYear: from, toIntakeYear: to } = rule;
  if (from === null && to === null) return t('catalog.program.intakesAll');
  if (to === null) return t('catalog.program.intakesFrom', { from });
  if (from === null) return t('catalog.program.intakesTo', { to });
  return from === to ? t('catalog.program.intakesOne', { from }) : t('catalog.program.intakesBetween', { from, to });
}

function ProgramFacts({ program }: { program: ProgramDetail }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const s = program.sources;
  return (
    <dl className="facts">
      <Fact label={t('catalog.fields.level')} value={t(`catalog.enums.level.${program.level}`)} source={s.level} />
      <Fact label={t('catalog.fields.specialtyCode')} value={program.specialtyCode} source={s.specialtyCode} />
      <Fact
        label={t('catalog.fields.durationFor', { year: program.intakeYear })}
        value={program.duration ? formatDuration(program.duration, t, locale) : null}
        source={program.duration?.source ?? s.durations}
        testId="program-duration"
      />
      <Fact
        label={t('catalog.fields.languages')}
        value={formatList(program.languages, 'language', t, locale)}
        source={s.languages}
      />
      <Fact
        label={t('catalog.fields.languagePreparation')}
        value={yesNo(program.languagePreparation, t)}
        source={s.languagePreparation}
      />
      <Fact
        label={t('catalog.fields.studyForms')}
        value={formatList(program.studyForms, 'studyForm', t, locale)}
        source={s.studyForms}
      />
      <Fact
        label={t('catalog.fields.funding')}
        value={formatList(program.fundingKinds, 'funding', t, locale)}
        source={s.fundingKinds}
      />
      <Fact
        label={t('catalog.fields.tuition')}
        value={program.tuition ? formatTuition(program.tuition, t, locale) : null}
        source={s.tuition}
      />
      <Fact
        label={t('catalog.fields.clinicalPractice')}
        value={yesNo(program.clinicalPractice, t)}
        source={s.clinicalPractice}
      />
      <Fact
        label={t('catalog.fields.exchangePrograms')}
        value={yesNo(program.exchangePrograms, t)}
        source={s.exchangePrograms}
      />
      <Fact
        label={t('catalog.fields.acceptingNow')}
        value={yesNo(program.acceptingNow, t)}
        source={program.intakeWindows.length > 0 ? s.intakeWindows : null}
      />
    </dl>
  );
}

function DurationRules({ program }: { program: ProgramDetail }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  if (program.durations.length < 2) return null;
  return (
    <section className="panel" aria-labelledby="durations-title">
      <h2 id="durations-title">{t('catalog.program.durationRules')}</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('catalog.program.intakes')}</th>
              <th scope="col">{t('catalog.fields.duration')}</th>
              <th scope="col">{t('catalog.program.sourceColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {program.durations.map((rule) => (
              <tr key={`${rule.fromIntakeYear}-${rule.toIntakeYear}-${rule.maxMonths}`}>
                <th scope="row">{ruleIntakes(rule, t)}</th>
                <td>{formatDuration(rule, t, locale)}</td>
                <td>{rule.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TextSection({
  id,
  title,
  text,
  source,
}: {
  id: string;
  title: string;
  text: ProgramDetail['notes'];
  source?: string | undefined;
}) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {text ? (
        <>
          <p className="prose">{pick(text, locale)}</p>
          <Source source={source} />
        </>
      ) : (
        <p>
          <NotStated />
        </p>
      )}
    </section>
  );
}

export function ProgramPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const { data: program, error } = useResource(slug, (signal) => catalogApi.program(slug, signal));
  const current = program?.slug === slug ? program : null;
  usePageTitle(error ? failureTitle(error, t) : current ? pick(current.title, locale) : t('catalog.program.pageTitle'));

  if (error) return <LoadFailure error={error} notFoundKey="catalog.program.notFound" />;
  if (!current) return <p className="loading page-placeholder">{t('app.loading')}</p>;
  const place = formatPlace(current.university, t, locale);

  return (
    <article className="program-page">
      <p className="breadcrumbs">
        <Link href="/catalog">{t('catalog.backToCatalog')}</Link>
      </p>
      <header className="page-header">
        <h1>{pick(current.title, locale)}</h1>
        <Source source={current.sources.title} />
        <p className="lead">
          <Link href={`/universities/${encodeURIComponent(current.university.slug)}`}>
            {pick(current.university.name, locale)}
          </Link>
          {place && ` · ${place}`}
        </p>
        <div className="actions">
          <CompareToggle
            slug={current.slug}
            title={current.title}
            label={t('catalog.compare.add')}
            className="compare-toggle-boxed"
          />
          {canEditProgram(user, current.university.id) && (
            <Link
              href={`/programs/${encodeURIComponent(current.slug)}/edit`}
              className="button button-secondary"
              data-testid="edit-link"
            >
              {t('catalog.program.edit')}
            </Link>
          )}
        </div>
      </header>

      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">{t('catalog.program.facts')}</h2>
        <ProgramFacts program={current} />
      </section>

      <DurationRules program={current} />

      <section className="panel" aria-labelledby="windows-title">
        <h2 id="windows-title">{t('catalog.fields.intakeWindows')}</h2>
        {current.intakeWindows.length > 0 ? (
          <ul className="plainlist" data-testid="intake-windows">
            {current.intakeWindows.map((intake) => (
              <li key={JSON.stringify(intake)}>
                {formatWindow(intake, t, locale)} <Source source={intake.source} />
              </li>
            ))}
          </ul>
        ) : (
          <p>
            <Known value={null} />
          </p>
        )}
      </section>

      <TextSection
        id="exams-title"
        title={t('catalog.fields.entranceExams')}
        text={current.entranceExams}
        source={current.sources.entranceExams}
      />
      <TextSection
        id="notes-title"
        title={t('catalog.fields.notes')}
        text={current.notes}
        source={current.sources.notes}
      />

      <UniversityFacts program={current} />

      <AskConsultantForm key={current.slug} program={current.slug} />

      <p className="aside">
        {t('catalog.updatedAt', {
          date: new Date(current.updatedAt).toLocaleDateString(dateLocale(locale), { dateStyle: 'long' }),
        })}
      </p>
      <CompareTray />
    </article>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { ProgramSummary } from './catalog-api';
import { CompareToggle } from './compare-tray';
import { formatDuration, formatList, formatPlace, Known, localeOf, pick, Source } from './format';

/** One program in a list of results: what an applicant scans for, and a link to every fact. */
export function ProgramCard({ program, headingLevel = 3 }: { program: ProgramSummary; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const university = program.university;
  const place = formatPlace(university, t, locale);
  return (
    <article className="card program-card" data-testid="program-card">
      <div className="program-card-head">
        <Heading className="program-card-title">
          <Link href={`/programs/${encodeURIComponent(program.slug)}`}>{pick(program.title, locale)}</Link>
        </Heading>
        {program.acceptingNow && <span className="badge badge-good">{t('catalog.acceptingNowBadge')}</span>}
      </div>
      <p className="program-card-university">
        {university.shortName ?? pick(university.name, locale)}
        {place && <span className="program-card-place"> · {place}</span>}
      </p>
      <dl className="program-card-facts">
        <div>
          <dt>{t('catalog.fields.level')}</dt>
          <dd>
            {t(`catalog.enums.level.${program.level}`)}
            {program.specialtyCode && <span className="code"> {program.specialtyCode}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('catalog.fields.duration')}</dt>
          <dd data-testid="card-duration">
            {program.duration ? (
              <>
                {formatDuration(program.duration, t, locale)} <Source source={program.duration.source} />
              </>
            ) : (
              <Known value={null} />
            )}
          </dd>
        </div>
        <div>
          <dt>{t('catalog.fields.languages')}</dt>
          <dd>
            <Known value={formatList(program.languages, 'language', t, locale)} />
          </dd>
        </div>
      </dl>
      <CompareToggle slug={program.slug} title={program.title} />
    </article>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { ProgramDetail } from './catalog-api';
import { Fact, formatList, localeOf, pick, yesNo } from './format';

/** What the program page says about its university: the facts applicants weigh (RULES S3), with sources. */
export function UniversityFacts({ program }: { program: ProgramDetail }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const facts = program.universityFacts;
  const s = facts.sources;
  return (
    <section className="panel" aria-labelledby="university-facts-title">
      <h2 id="university-facts-title">{t('catalog.program.universityFacts')}</h2>
      <dl className="facts">
        <Fact label={t('catalog.fields.wdomsListed')} value={yesNo(facts.wdomsListed, t)} source={s.wdomsListed} />
        <Fact
          label={t('catalog.fields.multidisciplinaryClinicalBases')}
          value={yesNo(facts.multidisciplinaryClinicalBases, t)}
          source={s.multidisciplinaryClinicalBases}
        />
        <Fact
          label={t('catalog.fields.universityLanguages')}
          value={formatList(facts.languages, 'language', t, locale)}
          source={s.languages}
        />
        <Fact
          label={t('catalog.fields.partnerships')}
          value={facts.partnerships ? pick(facts.partnerships, locale) : null}
          source={s.partnerships}
        />
        <Fact
          label={t('catalog.fields.universityExchange')}
          value={facts.exchangePrograms ? pick(facts.exchangePrograms, locale) : null}
          source={s.exchangePrograms}
        />
      </dl>
      <p className="facts-after">
        <Link href={`/universities/${encodeURIComponent(program.university.slug)}`}>
          {t('catalog.program.toUniversity', {
            name: program.university.shortName ?? pick(program.university.name, locale),
          })}
        </Link>
      </p>
    </section>
  );
}

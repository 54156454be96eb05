/** An applicant's dossier, read-only, as officers and reviewers see it. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../ui/dates';
import { countryName, languageName } from '../../ui/regions';
import { Fact, localeOf, yesNo } from '../catalog/format';
import type { DossierView } from './dossier-api';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="dossier-view-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function number(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}

export function DossierReadOnly({ view }: { view: DossierView }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const d = view.dossier;
  if (!d) return <p className="empty">{t('dossier.view.empty')}</p>;
  const date = (value: string | null | undefined) => (value ? formatDate(value, locale) : null);
  const country = (code: string | null | undefined) => (code ? countryName(code, locale) : null);
  const cyrillic = d.cyrillicName
    ? [d.cyrillicName.surname, d.cyrillicName.givenNames, d.cyrillicName.patronymic].filter(Boolean).join(' ')
    : null;
  return (
    <div className="dossier-view" data-testid="dossier-view">
      <Section title={t('dossier.identity.title')}>
        <dl className="facts">
          <Fact
            label={t('dossier.identity.latinName')}
            value={`${d.latinName.surname} ${d.latinName.givenNames}`}
            testId="dossier-latin-name"
          />
          <Fact label={t('dossier.identity.cyrillicName')} value={cyrillic} />
          <Fact label={t('dossier.identity.dateOfBirth')} value={date(d.dateOfBirth)} />
          <Fact
            label={t('dossier.identity.citizenship')}
            value={d.citizenship ? country(d.citizenship) : t('dossier.identity.noCitizenship')}
          />
          <Fact label={t('dossier.identity.category')} value={t(`dossier.categories.${d.category}`)} />
        </dl>
      </Section>
      <Section title={t('dossier.passport.title')}>
        <dl className="facts">
          <Fact label={t('dossier.passport.number')} value={d.passport?.number} />
          <Fact label={t('dossier.passport.issuingCountry')} value={country(d.passport?.issuingCountry)} />
          <Fact label={t('dossier.passport.issuedOn')} value={date(d.passport?.issuedOn)} />
          <Fact label={t('dossier.passport.expiresOn')} value={date(d.passport?.expiresOn)} />
          <Fact label={t('dossier.visa.enteredOnVisa')} value={yesNo(d.visa?.enteredOnVisa ?? null, t)} />
          {d.visa?.enteredOnVisa && (
            <>
              <Fact label={t('dossier.visa.number')} value={d.visa.number} />
              <Fact label={t('dossier.visa.expiresOn')} value={date(d.visa.expiresOn)} />
            </>
          )}
        </dl>
      </Section>
      <Section title={t('dossier.education.title')}>
        {d.education.length === 0 && <p className="empty">{t('dossier.education.none')}</p>}
        {d.education.map((e) => {
          const grade = view.grades.find((g) => g.educationId === e.id);
          return (
            <div key={e.id} className="dossier-view-entry">
              <h4>{e.institution}</h4>
              <dl className="facts">
                <Fact label={t('dossier.education.country')} value={country(e.country)} />
                <Fact label={t('dossier.education.level')} value={t(`dossier.educationLevels.${e.level}`)} />
                <Fact label={t('dossier.education.field')} value={t(`dossier.educationFields.${e.field}`)} />
                <Fact label={t('dossier.education.qualification')} value={e.title} />
                <Fact
                  label={t('dossier.view.period')}
                  value={
                    e.startedOn || e.finishedOn ? `${date(e.startedOn) ?? '…'} – ${date(e.finishedOn) ?? '…'}` : null
                  }
                />
                <Fact
                  label={t('dossier.education.documentLanguage')}
                  value={languageName(e.documentLanguage, locale)}
                />
                <Fact
                  label={t('dossier.education.grade')}
                  value={
                    e.grade
                      ? t('dossier.view.grade', {
                          value: number(e.grade.value, locale),
                          min: number(e.grade.min, locale),
                          pass: number(e.grade.pass, locale),
                          max: number(e.grade.max, locale),
                          fivePoint: grade ? number(grade.fivePoint, locale) : '—',
                        })
                      : null
                  }
                />
                <Fact label={t('dossier.education.ranking')} value={e.worldRankingPosition} />
              </dl>
            </div>
          );
        })}
      </Section>
      <Section title={t('dossier.internship.title')}>
        <dl className="facts">
          <Fact label={t('dossier.internship.completed')} value={yesNo(d.internship?.completed ?? null, t)} />
          <Fact label={t('dossier.internship.institution')} value={d.internship?.institution} />
          <Fact label={t('dossier.internship.finishedOn')} value={date(d.internship?.finishedOn)} />
        </dl>
      </Section>
      <Section title={t('dossier.certificates.title')}>
        {d.languageCertificates.length === 0 ? (
          <p className="empty">{t('dossier.view.none')}</p>
        ) : (
          <ul className="plainlist">
            {d.languageCertificates.map((c) => (
              <li key={c.id}>
                {t('dossier.view.certificate', {
                  language: languageName(c.language, locale),
                  name: c.name,
                  level: c.level,
                })}
                {c.issuedOn ? ` · ${formatDate(c.issuedOn, locale)}` : ''}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title={t('dossier.view.portfolio')}>
        <dl className="facts">
          <Fact
            label={t('dossier.achievements.title')}
            value={d.achievements.map((a) => `${a.title} (${a.year})`).join('; ') || null}
          />
          <Fact label={t('dossier.olympiad.label')} value={t(`dossier.olympiad.values.${d.olympiad}`)} />
          <Fact
            label={t('dossier.recommendations.title')}
            value={d.recommendations.map((r) => r.from).join('; ') || null}
          />
        </dl>
      </Section>
      <Section title={t('dossier.letters.motivation')}>
        {d.motivationLetter ? (
          <p className="prose">{d.motivationLetter}</p>
        ) : (
          <p className="empty">{t('dossier.view.none')}</p>
        )}
      </Section>
      <Section title={t('dossier.letters.volunteering')}>
        {d.volunteering ? <p className="prose">{d.volunteering}</p> : <p className="empty">{t('dossier.view.none')}</p>}
      </Section>
    </div>
  );
}

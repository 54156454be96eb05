/** The automatic checklist of one choice: each check with its status, the reason in words, and its source. */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { localeOf, Source } from '../catalog/format';
import type { Check, Requirement } from './applications-api';
import { checkMessage, checkTitle, fixLink } from './check-text';

const ICONS: Record<Check['status'], string> = { pass: '✓', fail: '✗', review: '!', missing: '○' };

/** How the Latin (passport) and Cyrillic (translation) names compare, part by part. */
function NameDetails({ params }: { params: Check['params'] }) {
  const { t } = useTranslation();
  const parts = (['surname', 'givenNames'] as const).filter((part) => params[part] !== undefined);
  if (parts.length === 0) return null;
  return (
    <div className="table-wrap name-details">
      <table className="table">
        <caption className="visually-hidden">{t('checks.names.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('checks.names.part')}</th>
            <th scope="col">{t('checks.names.latin')}</th>
            <th scope="col">{t('checks.names.cyrillic')}</th>
            <th scope="col">{t('checks.names.closest')}</th>
            <th scope="col">{t('checks.names.similarity')}</th>
          </tr>
        </thead>
        <tbody>
          {parts.map((part) => (
            <tr key={part}>
              <th scope="row">{t(`checks.names.${part}`)}</th>
              <td lang="en">{params[part]}</td>
              <td lang="ru">{params[`${part}Cyrillic`]}</td>
              <td>
                {params[`${part}Closest`]} <span className="source">{params[`${part}Scheme`]}</span>
              </td>
              <td>
                {Math.round(Number(params[`${part}Similarity`] ?? 0) * 100)} % —{' '}
                {t(`checks.names.verdict.${params[`${part}Verdict`] ?? 'review'}`)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Checklist({
  checks,
  requirements,
  showFixLinks = false,
  testId,
}: {
  checks: Check[];
  requirements: readonly Requirement[];
  /** For the applicant: a link to where each problem is fixed. */
  showFixLinks?: boolean;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <ul className="checklist-items" data-testid={testId}>
      {checks.map((check) => {
        const link = showFixLinks ? fixLink(check) : null;
        return (
          <li
            key={check.id}
            className={`check-item check-${check.status}`}
            data-testid={`check-${check.id}`}
            data-status={check.status}
            data-code={check.code}
          >
            <span className="check-icon" aria-hidden="true">
              {ICONS[check.status]}
            </span>
            <div className="check-body">
              <p className="check-title">
                <strong>{checkTitle(check, requirements, t)}</strong>
                <span className="visually-hidden">: </span>
                <span className={`check-status check-status-${check.status}`}>
                  {t(`checks.status.${check.status}`)}
                </span>
                {!check.blocking && check.status !== 'pass' && (
                  <span className="check-advice">{t('checks.notBlocking')}</span>
                )}
              </p>
              <p className="check-message">{checkMessage(check, requirements, t, locale)}</p>
              {check.code.startsWith('name_') && <NameDetails params={check.params} />}
              <p className="check-meta">
                {check.source && <Source source={check.source} />}
                {link && (
                  <Link href={link} className="check-fix">
                    {t(link === '/dossier' ? 'checks.fixInDossier' : 'checks.fixInDocuments')}
                  </Link>
                )}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

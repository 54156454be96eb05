/** The adaptation checklist after arrival (per university): due dates, overdue items, done or not. */
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/dates';
import { localeOf, pick } from '../catalog/format';
import { ActionStatus, useAction } from './action-status';
import type { Adaptation } from './work-api';

export function AdaptationChecklist({
  checklists,
  onToggle,
}: {
  checklists: Adaptation[];
  /** Given when the reader may tick items (the student, a consultant with "act"). */
  onToggle?: ((university: string, itemId: string, done: boolean) => Promise<Adaptation[]>) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const action = useAction();
  if (checklists.length === 0) return <p className="empty">{t('agency.adaptation.none')}</p>;
  return (
    <div data-testid="adaptation">
      {checklists.map((list) => (
        <section key={list.university.slug} aria-label={pick(list.university.name, locale)}>
          <h3>{pick(list.university.name, locale)}</h3>
          {list.isDefault && <p className="field-hint">{t('agency.adaptation.default')}</p>}
          <ul className="plainlist">
            {list.items.map((item) => {
              const title = pick(item.title, locale);
              return (
                <li key={item.id} data-testid="adaptation-item" data-done={item.doneAt ? 'true' : 'false'}>
                  {onToggle ? (
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={item.doneAt !== null}
                        disabled={action.busy}
                        onChange={(event) => {
                          const done = event.target.checked;
                          void action.run(async () => {
                            await onToggle(list.university.slug, item.id, done);
                            return {
                              key: done ? 'agency.adaptation.markedDone' : 'agency.adaptation.reopened',
                              values: { title },
                            };
                          });
                        }}
                      />
                      <span>{title}</span>
                    </label>
                  ) : (
                    <span className={item.doneAt ? 'task-done' : undefined}>{title}</span>
                  )}{' '}
                  <span className={item.overdue ? 'task-overdue' : 'field-hint'}>
                    {item.doneAt
                      ? t('agency.adaptation.doneOn', { date: formatDateTime(item.doneAt, locale) })
                      : item.overdue
                        ? t('agency.tasks.overdue', { date: formatDateTime(item.dueAt, locale) })
                        : t('agency.tasks.due', { date: formatDateTime(item.dueAt, locale) })}
                  </span>
                  {item.essential && <span className="badge badge-bad">{t('agency.adaptation.essential')}</span>}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      <ActionStatus outcome={action.outcome} testId="adaptation-result" />
    </div>
  );
}

/** Parents' and sponsors' requests to follow a student, waiting for the student or an officer: confirm or end. */
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/dates';
import { ActionStatus } from '../agency/action-status';
import { localeOf } from '../catalog/format';
import { type GuardianLink, officerApi } from './officer-api';
import { ItemsTable, Section, studentName, useList, useRegisterAction } from './officer-controls';

export function GuardiansSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const list = useList('register-guardian-requests', (signal) => officerApi.guardianRequests(signal));
  const action = useRegisterAction();

  const decide = (link: GuardianLink, kind: 'confirm' | 'end') =>
    action.run(async () => {
      if (kind === 'confirm') await officerApi.confirmGuardian(link.id);
      else await officerApi.endGuardian(link.id);
      list.setItems((items) => (items ?? []).filter((x) => x.id !== link.id));
      return {
        key: kind === 'confirm' ? 'register.admin.guardians.confirmed' : 'register.admin.guardians.ended',
        values: { email: link.email },
      };
    });

  return (
    <Section
      title={t('register.admin.guardians.title')}
      lead={t('register.admin.guardians.lead')}
      error={list.error}
      testId="guardians-section"
    >
      <ItemsTable
        items={list.items}
        empty={t('register.admin.guardians.none')}
        caption={t('register.admin.guardians.title')}
        testId="guardian-requests"
        head={
          <>
            <th scope="col">{t('register.admin.guardians.person')}</th>
            <th scope="col">{t('register.admin.guardians.relation')}</th>
            <th scope="col">{t('register.admin.guardians.student')}</th>
            <th scope="col">{t('register.admin.guardians.requested')}</th>
            <th scope="col">{t('register.admin.common.actions')}</th>
          </>
        }
        row={(link) => (
          <tr key={link.id} data-testid="guardian-request" data-email={link.email}>
            <th scope="row">
              {link.guardian?.fullName ?? link.email}
              {link.guardian && <div className="field-hint">{link.email}</div>}
            </th>
            <td>{t(`register.admin.guardians.relations.${link.relation}`)}</td>
            <td>
              {link.student ? (
                <>
                  {studentName(link.student)} <span className="cell-note">{link.student.number}</span>
                </>
              ) : (
                '—'
              )}
            </td>
            <td>{formatDateTime(link.createdAt, locale)}</td>
            <td>
              <div className="actions">
                <button
                  type="button"
                  className="button button-primary"
                  disabled={action.busy}
                  onClick={() => decide(link, 'confirm')}
                  data-testid="guardian-confirm"
                >
                  {t('register.admin.guardians.confirm', { email: link.email })}
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={action.busy}
                  onClick={() => decide(link, 'end')}
                  data-testid="guardian-end"
                >
                  {t('register.admin.guardians.end', { email: link.email })}
                </button>
              </div>
            </td>
          </tr>
        )}
      />
      <ActionStatus outcome={action.outcome} testId="guardians-result" />
    </Section>
  );
}

/** One lead: the question, its status, the consultant in charge, and the invitation to register and grant access. */
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../ui/dates';
import { usePageTitle } from '../../ui/page-title';
import { countryName } from '../../ui/regions';
import { localeOf } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { ActionStatus, useAction } from './action-status';
import { agencyApi, type Lead } from './agency-api';
import { ConsultantPicker } from './controls';
import { LeadStatusBadge, leadSource } from './leads-section';
import { Notes } from './notes';
import { AddTaskForm, TaskList } from './tasks';
import { isMissingRoute, type Task, workApi } from './work-api';
import './agency.css';

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The lead's tasks (reminders with due dates) and notes, visible to the agency only. */
function LeadWork({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const notes = useResource(`lead-notes:${leadId}`, (signal) => workApi.notes({ leadId }, signal));
  const loadedTasks = useResource(`lead-tasks:${leadId}`, (signal) => workApi.tasks({ lead: leadId }, signal));
  const [tasks, setTasks] = useState<Task[] | null>(null);
  useEffect(() => {
    if (loadedTasks.data) setTasks(loadedTasks.data.items);
  }, [loadedTasks.data]);
  return (
    <>
      {!isMissingRoute(loadedTasks.error) && (
        <section className="panel" aria-labelledby="lead-tasks" data-testid="lead-tasks">
          <h2 id="lead-tasks">{t('agency.tasks.heading')}</h2>
          {loadedTasks.error ? (
            <p className="notice notice-error">{t('errors.generic')}</p>
          ) : !tasks ? (
            <p className="loading">{t('app.loading')}</p>
          ) : (
            <>
              {tasks.length === 0 ? (
                <p className="empty">{t('agency.tasks.none')}</p>
              ) : (
                <TaskList
                  tasks={tasks}
                  showSubject={false}
                  onChange={(task) => setTasks((current) => (current ?? []).map((x) => (x.id === task.id ? task : x)))}
                />
              )}
              <AddTaskForm
                leadId={leadId}
                assigneeId={user?.id}
                onAdded={(task) =>
                  setTasks((current) => [...(current ?? []), task].sort((a, b) => a.dueAt.localeCompare(b.dueAt)))
                }
              />
            </>
          )}
        </section>
      )}
      {!isMissingRoute(notes.error) && (
        <section className="panel" aria-labelledby="lead-notes" data-testid="lead-notes">
          <h2 id="lead-notes">{t('agency.notes.title')}</h2>
          {notes.error ? (
            <p className="notice notice-error">{t('errors.generic')}</p>
          ) : !notes.data ? (
            <p className="loading">{t('app.loading')}</p>
          ) : (
            <Notes subject={{ leadId }} initial={notes.data.items} />
          )}
        </section>
      )}
    </>
  );
}

export function LeadPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const loaded = useResource(id, (signal) => agencyApi.lead(id, signal));
  const consultants = useResource('consultants', (signal) => agencyApi.consultants(signal));
  const [lead, setLead] = useState<Lead | null>(null);
  const [consultantId, setConsultantId] = useState('');
  const action = useAction();

  useEffect(() => {
    if (loaded.data) {
      setLead(loaded.data);
      setConsultantId(loaded.data.consultantId ?? '');
    }
  }, [loaded.data]);

  usePageTitle(loaded.error ? failureTitle(loaded.error, t) : (lead?.name ?? t('agency.leads.title')));
  if (loaded.error) return <LoadFailure error={loaded.error} notFoundKey="agency.leads.notFound" />;
  if (!lead) return <p className="loading page-placeholder">{t('app.loading')}</p>;

  const setStatus = (status: 'contacted' | 'closed' | 'new') =>
    action.run(async () => {
      setLead(await agencyApi.updateLead(lead.id, { status }));
      return { key: `agency.lead.statusSet.${status}` };
    });
  const assign = () =>
    action.run(async () => {
      setLead(await agencyApi.updateLead(lead.id, { consultantId: consultantId || null }));
      return { key: consultantId ? 'agency.lead.assigned' : 'agency.lead.unassigned' };
    });
  const invite = () =>
    action.run(async () => {
      const { invitedAt } = await agencyApi.invite(lead.id);
      setLead({ ...lead, invitedAt, status: lead.status === 'converted' ? lead.status : 'invited' });
      return { key: 'agency.lead.invited', values: { email: lead.email } };
    });

  const open = lead.status !== 'closed' && lead.status !== 'converted';
  const team = consultants.data?.items.filter((c) => !c.disabled) ?? [];

  return (
    <div className="page agency-page lead-page">
      <p className="breadcrumbs">
        <Link href="/agency">{t('agency.backToLeads')}</Link>
      </p>
      <header className="page-header">
        <h1 data-testid="lead-name">{lead.name}</h1>
        <p className="lead">
          <LeadStatusBadge status={lead.status} /> {t('agency.leads.source')}: {leadSource(lead, locale, t)}
        </p>
      </header>

      <section className="panel" aria-labelledby="lead-question">
        <h2 id="lead-question">{t('agency.lead.question')}</h2>
        <blockquote className="prose lead-message" data-testid="lead-message">
          {lead.message}
        </blockquote>
        <dl className="details">
          <Detail label={t('fields.email')}>
            <a href={`mailto:${lead.email}`}>{lead.email}</a>
          </Detail>
          {lead.phone && (
            <Detail label={t('agency.ask.phone')}>
              <a href={`tel:${lead.phone}`}>{lead.phone}</a>
            </Detail>
          )}
          <Detail label={t('agency.ask.citizenship')}>
            {lead.citizenship ? countryName(lead.citizenship, locale) : '—'}
          </Detail>
          <Detail label={t('agency.ask.level')}>
            {lead.level ? t(`catalog.enums.level.${lead.level}`, { defaultValue: lead.level }) : '—'}
          </Detail>
          <Detail label={t('agency.ask.specialty')}>{lead.specialty ?? '—'}</Detail>
          <Detail label={t('agency.lead.language')}>
            {t(`language.${lead.locale}`, { defaultValue: lead.locale })}
          </Detail>
          <Detail label={t('agency.leads.received')}>{formatDateTime(lead.createdAt, locale)}</Detail>
          {lead.invitedAt && (
            <Detail label={t('agency.lead.invitedAt')}>{formatDateTime(lead.invitedAt, locale)}</Detail>
          )}
        </dl>
      </section>

      <section className="panel" aria-labelledby="lead-actions">
        <h2 id="lead-actions">{t('agency.lead.actions')}</h2>
        {lead.applicantId && (
          <p className="notice notice-info">
            {t('agency.lead.converted')}{' '}
            <Link href={`/agency/applicants/${encodeURIComponent(lead.applicantId)}`} data-testid="lead-applicant">
              {t('agency.lead.openApplicant')}
            </Link>
          </p>
        )}
        <div className="actions">
          {lead.status === 'new' && (
            <button
              type="button"
              className="button button-secondary"
              disabled={action.busy}
              onClick={() => setStatus('contacted')}
              data-testid="lead-contacted"
            >
              {t('agency.lead.markContacted')}
            </button>
          )}
          {open && (
            <button
              type="button"
              className="button button-primary"
              disabled={action.busy}
              onClick={invite}
              data-testid="lead-invite"
            >
              {lead.invitedAt ? t('agency.lead.inviteAgain') : t('agency.lead.invite')}
            </button>
          )}
          {open ? (
            <button
              type="button"
              className="button button-quiet"
              disabled={action.busy}
              onClick={() => setStatus('closed')}
              data-testid="lead-close"
            >
              {t('agency.lead.close')}
            </button>
          ) : (
            lead.status === 'closed' && (
              <button
                type="button"
                className="button button-quiet"
                disabled={action.busy}
                onClick={() => setStatus('new')}
                data-testid="lead-reopen"
              >
                {t('agency.lead.reopen')}
              </button>
            )
          )}
        </div>
        <p className="field-hint">{t('agency.lead.inviteHint')}</p>
        <ConsultantPicker
          label={t('agency.lead.consultant')}
          value={consultantId}
          onChange={setConsultantId}
          team={team}
          busy={action.busy}
          onAssign={() => void assign()}
          testId="lead-consultant"
        />
        <ActionStatus outcome={action.outcome} testId="lead-result" />
      </section>

      <LeadWork leadId={lead.id} />
    </div>
  );
}

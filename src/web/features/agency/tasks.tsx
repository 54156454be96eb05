/** Tasks and reminders with due dates: a list with "mark done", and a form to add one. */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { formatDateTime, localInputToIso } from '../../ui/dates';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { localeOf } from '../catalog/format';
import { ActionStatus, useAction } from './action-status';
import type { Task } from './work-api';
import { workApi } from './work-api';

export function TaskList({
  tasks,
  onChange,
  showSubject = true,
  now = Date.now(),
}: {
  tasks: Task[];
  onChange: (task: Task) => void;
  showSubject?: boolean;
  now?: number;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const action = useAction();
  const toggle = (task: Task) =>
    action.run(async () => {
      const updated = await workApi.updateTask(task.id, { done: !task.doneAt });
      onChange(updated);
      return {
        key: updated.doneAt ? 'agency.tasks.markedDone' : 'agency.tasks.reopened',
        values: { title: task.title },
      };
    });
  return (
    <>
      <ul className="plainlist task-list" data-testid="task-list">
        {tasks.map((task) => {
          const overdue = !task.doneAt && Date.parse(task.dueAt) < now;
          return (
            <li key={task.id} data-testid="task" data-done={task.doneAt ? 'true' : 'false'}>
              <span className={task.doneAt ? 'task-done' : undefined}>{task.title}</span>{' '}
              <span className={overdue ? 'task-overdue' : 'field-hint'}>
                {overdue
                  ? t('agency.tasks.overdue', { date: formatDateTime(task.dueAt, locale) })
                  : t('agency.tasks.due', { date: formatDateTime(task.dueAt, locale) })}
              </span>
              {showSubject && task.applicant && (
                <>
                  {' · '}
                  <Link href={`/agency/applicants/${encodeURIComponent(task.applicant.id)}`}>
                    {task.applicant.fullName}
                  </Link>
                </>
              )}
              {showSubject && task.lead && (
                <>
                  {' · '}
                  <Link href={`/agency/leads/${encodeURIComponent(task.lead.id)}`}>{task.lead.name}</Link>
                </>
              )}
              {task.assignee && ` · ${task.assignee.fullName}`}{' '}
              <button
                type="button"
                className="button button-quiet"
                disabled={action.busy}
                onClick={() => toggle(task)}
                data-testid="task-toggle"
              >
                {task.doneAt
                  ? t('agency.tasks.reopen', { title: task.title })
                  : t('agency.tasks.done', { title: task.title })}
              </button>
            </li>
          );
        })}
      </ul>
      <ActionStatus outcome={action.outcome} testId="task-result" />
    </>
  );
}

const FIELDS = ['title', 'dueAt'] as const;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (textOf(data, 'title').trim() === '') fields.title = { key: 'fieldErrors.required' };
  if (localInputToIso(textOf(data, 'dueAt')) === null) fields.dueAt = { key: 'agency.tasks.dueRequired' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

export function AddTaskForm({
  applicantId,
  leadId,
  assigneeId,
  onAdded,
}: {
  applicantId?: string;
  /** A task about a lead (instead of an applicant). */
  leadId?: string;
  /** Who does it (the tasks list shows "my" tasks): by default the consultant who adds it. */
  assigneeId?: string | undefined;
  onAdded: (task: Task) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [added, setAdded] = useState<string | null>(null);
  useEffect(() => {
    if (errors.general) setAdded(null);
  }, [errors.general]);
  const submit = onSubmit(check, async (data, form) => {
    const task = await workApi.addTask({
      title: textOf(data, 'title').trim(),
      dueAt: localInputToIso(textOf(data, 'dueAt')) ?? '',
      ...(applicantId ? { applicantId } : {}),
      ...(leadId && !applicantId ? { leadId } : {}),
      ...(assigneeId ? { assigneeId } : {}),
    });
    form.reset();
    setAdded(task.title);
    onAdded(task);
  });
  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('agency.tasks.add')}</h3>
      <FormError error={errors.general} />
      <Field name="title" label={t('agency.tasks.title')} maxLength={300} error={errors.fields.title} />
      <Field name="dueAt" type="datetime-local" label={t('agency.tasks.dueAt')} error={errors.fields.dueAt} />
      <SubmitButton busy={busy}>{t('agency.tasks.addSubmit')}</SubmitButton>
      <p role="status" aria-live="polite" className="action-status">
        {added ? t('agency.tasks.added', { title: added }) : ''}
      </p>
    </form>
  );
}

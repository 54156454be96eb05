/**
 * The applicant's stages (derived, or set by hand with "act"), tasks, notes, timeline and adaptation
 * checklist. On a server without these endpoints the panels are not shown.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../ui/dates';
import { localeOf } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { ActionStatus, useAction } from './action-status';
import { AdaptationChecklist } from './adaptation';
import { Notes } from './notes';
import { AddTaskForm, TaskList } from './tasks';
import {
  type Adaptation,
  type DerivedStages,
  isMissingRoute,
  STAGES,
  type Stage,
  type Task,
  workApi,
} from './work-api';

function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Stages({ applicantId, act, initial }: { applicantId: string; act: boolean; initial: DerivedStages }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [stages, setStages] = useState(initial);
  const action = useAction();
  const set = (stage: Stage, reached: boolean) =>
    action.run(async () => {
      setStages(await workApi.setStage(applicantId, stage, { reached }));
      return {
        key: reached ? 'agency.pipeline.stageSet' : 'agency.pipeline.stageCleared',
        values: { stage: t(`agency.stages.${stage}`) },
      };
    });
  return (
    <>
      <ol className="plainlist stage-list" data-testid="stages">
        {STAGES.map((stage) => {
          const state = stages.stages[stage];
          const current = stages.current?.stage === stage;
          return (
            <li key={stage} data-stage={stage} aria-current={current ? 'step' : undefined}>
              <strong>{t(`agency.stages.${stage}`)}</strong>{' '}
              {state.reachedAt ? (
                <span className="field-hint">
                  {formatDateTime(state.reachedAt, locale)} ·{' '}
                  {t(state.source === 'manual' ? 'agency.pipeline.byHand' : 'agency.pipeline.bySystem')}
                </span>
              ) : (
                <span className="field-hint">{t('agency.pipeline.notReached')}</span>
              )}{' '}
              {act && state.source !== 'system' && (
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={action.busy}
                  onClick={() => set(stage, !state.reachedAt)}
                >
                  {state.reachedAt
                    ? t('agency.pipeline.clear', { stage: t(`agency.stages.${stage}`) })
                    : t('agency.pipeline.markReached', { stage: t(`agency.stages.${stage}`) })}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <ActionStatus outcome={action.outcome} testId="stage-result" />
    </>
  );
}

function useList<T>(data: T[] | undefined): [T[] | null, (update: (current: T[]) => T[]) => void] {
  const [items, setItems] = useState<T[] | null>(null);
  useEffect(() => {
    if (data) setItems(data);
  }, [data]);
  return [items, (update) => setItems((current) => update(current ?? []))];
}

export function WorkPanels({ applicantId, act }: { applicantId: string; act: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const stages = useResource(applicantId, (signal) => workApi.stages(applicantId, signal));
  const timeline = useResource(applicantId, (signal) => workApi.timeline(applicantId, signal));
  const notes = useResource(applicantId, (signal) => workApi.notes({ applicantId }, signal));
  const tasksLoaded = useResource(applicantId, (signal) => workApi.tasks({ applicant: applicantId }, signal));
  const adaptationLoaded = useResource(applicantId, (signal) => workApi.adaptation(applicantId, signal));
  const [tasks, updateTasks] = useList<Task>(tasksLoaded.data?.items);
  const [adaptation, setAdaptation] = useState<Adaptation[] | null>(null);
  useEffect(() => {
    if (adaptationLoaded.data) setAdaptation(adaptationLoaded.data);
  }, [adaptationLoaded.data]);

  const shown = (error: unknown) => !isMissingRoute(error);
  return (
    <>
      {shown(stages.error) && stages.data && (
        <Panel id="agency-stages" title={t('agency.pipeline.stages')}>
          <Stages applicantId={applicantId} act={act} initial={stages.data} />
        </Panel>
      )}
      {shown(tasksLoaded.error) && tasks && (
        <Panel id="agency-tasks" title={t('agency.tasks.heading')}>
          {tasks.length === 0 ? (
            <p className="empty">{t('agency.tasks.none')}</p>
          ) : (
            <TaskList
              tasks={tasks}
              showSubject={false}
              onChange={(task) => updateTasks((current) => current.map((x) => (x.id === task.id ? task : x)))}
            />
          )}
          <AddTaskForm
            applicantId={applicantId}
            assigneeId={user?.id}
            onAdded={(task) => updateTasks((current) => [...current, task])}
          />
        </Panel>
      )}
      {shown(notes.error) && notes.data && (
        <Panel id="agency-notes" title={t('agency.notes.title')}>
          <Notes subject={{ applicantId }} initial={notes.data.items} />
        </Panel>
      )}
      {shown(adaptationLoaded.error) && adaptation && (
        <Panel id="agency-adaptation" title={t('agency.adaptation.title')}>
          <AdaptationChecklist
            checklists={adaptation}
            onToggle={
              act
                ? async (university, itemId, done) => {
                    const next = await workApi.setAdaptationItem(applicantId, itemId, { done, university });
                    setAdaptation(next);
                    return next;
                  }
                : undefined
            }
          />
        </Panel>
      )}
      {shown(timeline.error) && timeline.data && (
        <Panel id="agency-timeline" title={t('agency.timeline.title')}>
          {timeline.data.items.length === 0 ? (
            <p className="empty">{t('agency.timeline.none')}</p>
          ) : (
            <ol className="timeline" data-testid="agency-timeline">
              {timeline.data.items.map((event) => (
                <li key={`${event.at}|${event.type}|${event.summary}|${JSON.stringify(event.data)}`}>
                  <time dateTime={event.at}>{formatDateTime(event.at, locale)}</time>{' '}
                  {t(`agency.timeline.types.${event.type}`, { defaultValue: event.summary })}
                  {event.actor &&
                    ` — ${
                      event.onBehalf
                        ? t('agency.timeline.onBehalf', { name: event.actor.fullName })
                        : event.actor.fullName
                    }`}
                </li>
              ))}
            </ol>
          )}
        </Panel>
      )}
    </>
  );
}

/** Choosing competitions and ordering them by priority: drag and drop, or the up/down buttons from the keyboard. */
import { type DragEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Locale } from '../../api';
import { i18n } from '../../i18n/i18n';
import { describeError, type Message } from '../../ui/errors';
import { FormError } from '../../ui/form';
import { localeOf, pick } from '../catalog/format';
import { type ApplicationView, applicationsApi, type Campaign, type Competition } from './applications-api';

export function competitionLabel(c: Competition, t: (key: string) => string, locale: Locale): string {
  return `${pick(c.program.title, locale)} — ${t(`catalog.enums.funding.${c.funding}`)}, ${t(
    `catalog.enums.studyForm.${c.studyForm}`,
  ).toLocaleLowerCase(locale)}`;
}

/** Why the choices were not saved: a field code of the API (too many, twice, unknown), or the problem. */
function choicesError(error: unknown): Message {
  const code = error instanceof ApiError ? error.fieldErrors[0]?.code : undefined;
  const key = `applications.choices.errors.${code}`;
  if (error instanceof ApiError && error.code === 'validation_failed' && code && i18n.exists(key)) return { key };
  return describeError(error, []).general ?? { key: 'errors.generic' };
}

function move<T>(list: T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

export function ChoicesEditor({
  campaign,
  view,
  editable,
  onSaved,
  onDirtyChange,
}: {
  campaign: Campaign;
  view: ApplicationView;
  editable: boolean;
  onSaved: (view: ApplicationView) => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const selectId = useId();
  const saved = view.choices.map((c) => c.competition.id);
  const [draft, setDraft] = useState<string[]>(saved);
  const [toAdd, setToAdd] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const focusNext = useRef<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  const savedKey = saved.join(',');
  // A new answer from the server (a save, a submission) is the new starting point.
  useEffect(() => setDraft(savedKey ? savedKey.split(',') : []), [savedKey]);
  const dirty = draft.join(',') !== savedKey;
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  // Keep the focus on the button that was pressed, at the item's new place.
  useEffect(() => {
    if (!focusNext.current) return;
    listRef.current?.querySelector<HTMLElement>(`[data-testid="${focusNext.current}"]`)?.focus();
    focusNext.current = null;
  });

  const byId = new Map(campaign.competitions.map((c) => [c.id, c]));
  const label = (id: string) => {
    const competition = byId.get(id);
    return competition ? competitionLabel(competition, t, locale) : id;
  };
  const max = campaign.maxPriorities;
  const available = campaign.competitions.filter((c) => !draft.includes(c.id));

  const reorder = (from: number, to: number, button?: 'up' | 'down') => {
    if (to < 0 || to >= draft.length || from === to) return;
    const id = draft[from] ?? '';
    setDraft(move(draft, from, to));
    setAnnouncement(t('applications.choices.moved', { name: label(id), n: to + 1, total: draft.length }));
    if (button) {
      const edge = button === 'up' ? to === 0 : to === draft.length - 1;
      focusNext.current = `priority-${edge ? (button === 'up' ? 'down' : 'up') : button}-${to + 1}`;
    }
  };

  const add = () => {
    const id = toAdd || available[0]?.id;
    if (!id || draft.length >= max) return;
    setDraft([...draft, id]);
    setToAdd('');
    setAnnouncement(t('applications.choices.added', { name: label(id), n: draft.length + 1 }));
  };

  const remove = (index: number) => {
    const id = draft[index] ?? '';
    setDraft(draft.filter((_, i) => i !== index));
    setAnnouncement(t('applications.choices.removed', { name: label(id) }));
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await applicationsApi.setChoices(campaign.slug, draft));
      setAnnouncement(t('applications.choices.saved'));
    } catch (failure) {
      setError(choicesError(failure));
    } finally {
      setBusy(false);
    }
  };

  const drop = (event: DragEvent, index: number) => {
    event.preventDefault();
    if (dragging !== null) reorder(dragging, index);
    setDragging(null);
    setOver(null);
  };

  return (
    <div className="choices-editor">
      <p className="field-hint">{t('applications.choices.hint', { count: max })}</p>
      {draft.length === 0 && <p className="empty">{t('applications.choices.none')}</p>}
      <ol className="choice-list" ref={listRef} data-testid="choice-list">
        {draft.map((id, index) => {
          const name = label(id);
          const n = index + 1;
          return (
            <li
              key={id}
              className={`choice-item${dragging === index ? ' is-dragging' : ''}${over === index && dragging !== index ? ' is-over' : ''}`}
              data-testid={`choice-${n}`}
              data-competition={id}
              draggable={editable}
              onDragStart={(event) => {
                setDragging(index);
                event.dataTransfer.effectAllowed = 'move';
                event.dataTransfer.setData('text/plain', id);
              }}
              onDragOver={(event) => {
                if (dragging === null) return;
                event.preventDefault();
                setOver(index);
              }}
              onDragLeave={() => setOver((current) => (current === index ? null : current))}
              onDrop={(event) => drop(event, index)}
              onDragEnd={() => {
                setDragging(null);
                setOver(null);
              }}
            >
              {editable && (
                <span className="drag-handle" aria-hidden="true">
                  ⠿
                </span>
              )}
              <span className="choice-priority">{t('applications.choices.priority', { n })}</span>
              <span className="choice-name">{name}</span>
              {editable && (
                <span className="choice-actions">
                  <button
                    type="button"
                    className="button button-quiet move-button"
                    aria-label={t('applications.choices.up', { name })}
                    data-testid={`priority-up-${n}`}
                    disabled={index === 0}
                    onClick={() => reorder(index, index - 1, 'up')}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="button button-quiet move-button"
                    aria-label={t('applications.choices.down', { name })}
                    data-testid={`priority-down-${n}`}
                    disabled={index === draft.length - 1}
                    onClick={() => reorder(index, index + 1, 'down')}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="button button-quiet move-button"
                    aria-label={t('applications.choices.remove', { name })}
                    data-testid={`remove-choice-${n}`}
                    onClick={() => remove(index)}
                  >
                    ✕
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {editable && (
        <>
          {draft.length < max && available.length > 0 ? (
            <div className="add-choice">
              <div className="field">
                <label htmlFor={selectId}>{t('applications.choices.addLabel')}</label>
                <select
                  id={selectId}
                  name="competition"
                  data-testid="competition-select"
                  value={toAdd || available[0]?.id}
                  onChange={(event) => setToAdd(event.target.value)}
                >
                  {available.map((c) => (
                    <option key={c.id} value={c.id}>
                      {competitionLabel(c, t, locale)}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="button button-secondary" onClick={add} data-testid="add-choice">
                {t('applications.choices.add')}
              </button>
            </div>
          ) : (
            draft.length >= max && <p className="field-hint">{t('applications.choices.full', { count: max })}</p>
          )}
          <FormError error={error} />
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={save}
              disabled={busy || !dirty}
              aria-busy={busy || undefined}
              data-testid="save-choices"
            >
              {t('applications.choices.save')}
            </button>
            {dirty && (
              <p className="unsaved" data-testid="unsaved-choices">
                {t('applications.choices.unsaved')}
              </p>
            )}
          </div>
        </>
      )}
    </div>
  );
}

/** The agency's notes about an applicant or a lead: a form to add one, and the notes, newest first. */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/dates';
import { localeOf } from '../catalog/format';
import { ActionStatus, useAction } from './action-status';
import { type Note, type NoteSubject, workApi } from './work-api';

export function Notes({ subject, initial }: { subject: NoteSubject; initial: Note[] }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const [notes, setNotes] = useState(initial);
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = text.trim();
    setEmpty(body === '');
    if (!body) return;
    void action.run(async () => {
      const note = await workApi.addNote(subject, body);
      setNotes((current) => [note, ...current]);
      setText('');
      return { key: 'agency.notes.added' };
    });
  };
  return (
    <>
      <form className="form" onSubmit={submit} noValidate data-testid="note-form">
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('agency.notes.new')}</label>
          <textarea
            id={`${id}-note`}
            rows={3}
            maxLength={4000}
            value={text}
            aria-invalid={empty ? true : undefined}
            aria-describedby={empty ? `${id}-note-error` : undefined}
            onChange={(e) => setText(e.target.value)}
            data-testid="note-body"
          />
          {empty && (
            <p className="field-error" id={`${id}-note-error`}>
              {t('agency.notes.empty')}
            </p>
          )}
        </div>
        <button type="submit" className="button button-secondary" disabled={action.busy} data-testid="note-submit">
          {t('agency.notes.add')}
        </button>
        <ActionStatus outcome={action.outcome} testId="note-result" />
      </form>
      {notes.length === 0 ? (
        <p className="empty">{t('agency.notes.none')}</p>
      ) : (
        <ul className="plainlist" data-testid="note-list">
          {notes.map((note) => (
            <li key={note.id}>
              <p className="prose">{note.body}</p>
              <p className="field-hint">
                {note.author.fullName} · {formatDateTime(note.createdAt, locale)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

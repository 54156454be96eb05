/**
 * Choosing teachers and curators: from the university's staff when the server lists them,
 * otherwise by the person's account id (as an administrator reads it on the users page).
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useSession } from '../../app/session';
import type { Message } from '../../ui/errors';
import { useResource } from '../catalog/use-resource';
import { currentUniversityScope, isMissingRoute, officerApi, type StaffMember } from './officer-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The staff of the university, or null while loading; `byId` is true when the server cannot list them. */
export function useStaff() {
  const { user } = useSession();
  const loaded = useResource('register-staff', async (signal) => {
    try {
      return await officerApi.staff(signal);
    } catch (error) {
      // No staff list on this server: administrators can still read the teachers from the user list.
      if (!isMissingRoute(error) || user?.role !== 'administrator') throw error;
      const { items } = await api.listUsers({ role: 'teacher', limit: 200, offset: 0 });
      const university = currentUniversityScope();
      return {
        items: items
          .filter((u) => !u.disabled && (!university || u.universityId === university))
          .map((u) => ({ id: u.id, fullName: u.fullName, email: u.email, role: u.role })),
      };
    }
  });
  // Without the list (an older server, or no right to read it) people are named by their account id.
  const byId = loaded.error !== null && !loaded.data;
  return { staff: loaded.data?.items ?? (byId ? [] : null), byId, missing: isMissingRoute(loaded.error) };
}

/** A checkbox per teacher, or an id field when the list is not available; calls onChange with the chosen ids. */
export function TeacherChooser({
  value,
  onChange,
  legend,
  testId,
  error,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  legend: string;
  testId: string;
  error?: Message | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { staff, byId } = useStaff();
  const [text, setText] = useState(value.join(', '));
  const teachers = (staff ?? []).filter((s) => s.role === 'teacher' || s.role === 'officer');

  if (byId) {
    const invalid = text.trim() !== '' && text.split(/[\s,]+/).some((part) => part !== '' && !UUID.test(part));
    return (
      <div className="field">
        <label htmlFor={id}>{legend}</label>
        <input
          id={id}
          value={text}
          data-testid={testId}
          aria-invalid={invalid || error ? true : undefined}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setText(event.target.value);
            onChange(event.target.value.split(/[\s,]+/).filter((part) => UUID.test(part)));
          }}
        />
        <p className="field-hint" id={`${id}-hint`}>
          {t('register.admin.staff.byIdHint')}
        </p>
        {error && <p className="field-error">{t(error.key, error.values)}</p>}
      </div>
    );
  }
  return (
    <fieldset className="check-group" data-testid={testId}>
      <legend>{legend}</legend>
      {staff === null ? (
        <p className="loading">{t('app.loading')}</p>
      ) : teachers.length === 0 ? (
        <p className="empty">{t('register.admin.staff.none')}</p>
      ) : (
        teachers.map((person) => (
          <label key={person.id} className="check">
            <input
              type="checkbox"
              value={person.id}
              checked={value.includes(person.id)}
              onChange={(event) =>
                onChange(event.target.checked ? [...value, person.id] : value.filter((x) => x !== person.id))
              }
            />
            <span>
              {person.fullName}
              {person.email && <span className="cell-note"> {person.email}</span>}
            </span>
          </label>
        ))
      )}
      {error && <p className="field-error">{t(error.key, error.values)}</p>}
    </fieldset>
  );
}

/** One person to add: a select of the staff, or an id field. */
export function PersonSelect({
  staff,
  byId,
  value,
  onChange,
  label,
  testId,
}: {
  staff: StaffMember[] | null;
  byId: boolean;
  value: string;
  onChange: (id: string) => void;
  label: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {byId ? (
        <input
          id={id}
          value={value}
          onChange={(event) => onChange(event.target.value.trim())}
          autoComplete="off"
          spellCheck={false}
          data-testid={testId}
          aria-describedby={`${id}-hint`}
        />
      ) : (
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
          <option value="">{t('register.admin.staff.choose')}</option>
          {(staff ?? []).map((person) => (
            <option key={person.id} value={person.id}>
              {person.fullName}
            </option>
          ))}
        </select>
      )}
      {byId && (
        <p className="field-hint" id={`${id}-hint`}>
          {t('register.admin.staff.byIdHint')}
        </p>
      )}
    </div>
  );
}

export function isUserId(value: string): boolean {
  return UUID.test(value);
}

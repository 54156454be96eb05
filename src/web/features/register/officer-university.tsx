/**
 * The university the register pages work on. Officers work in their own; an administrator chooses
 * one here (kept for the browser tab), and the pages below load only once one is chosen.
 */
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { catalogApi } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { setUniversityScope } from './officer-api';

const STORAGE_KEY = 'medadmit.register.university';

function stored(): string {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function UniversityScope({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const { user } = useSession();
  const administrator = user?.role === 'administrator' && !user.universityId;
  const [chosen, setChosen] = useState(administrator ? stored() : '');
  const universities = useResource(administrator ? 'universities' : null, (signal) => catalogApi.universities(signal));
  // Set while rendering, before the sections below start their requests.
  setUniversityScope(administrator && chosen ? chosen : undefined);
  if (!administrator) return children;

  const choose = (value: string) => {
    setChosen(value);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, value);
    } catch {
      // Storage can be disabled: the choice then lasts for this page.
    }
  };
  return (
    <>
      <div className="field panel university-scope">
        <label htmlFor={id}>{t('register.admin.university')}</label>
        <select
          id={id}
          value={chosen}
          onChange={(event) => choose(event.target.value)}
          data-testid="register-university"
        >
          <option value="">{t('register.admin.chooseUniversity')}</option>
          {(universities.data?.items ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {pick(u.name, locale)}
            </option>
          ))}
        </select>
      </div>
      {chosen ? (
        <div key={chosen}>{children}</div>
      ) : (
        <p className="notice notice-info">{t('register.admin.administratorNote')}</p>
      )}
    </>
  );
}

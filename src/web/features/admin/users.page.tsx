import { type ChangeEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ROLES, type Role, type User } from '../../api';
import { Loading } from '../../app/loading';
import { describeError, type Message } from '../../ui/errors';
import { FormError } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';

const PAGE_SIZE = 50;

type State = { kind: 'loading' } | { kind: 'loaded'; items: User[] } | { kind: 'failed'; error: Message };

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('users.title'));
  const filterId = useId();
  const [role, setRole] = useState<Role | undefined>(undefined);
  const [offset, setOffset] = useState(0);
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    let current = true;
    setState({ kind: 'loading' });
    api.listUsers({ role, limit: PAGE_SIZE, offset }).then(
      ({ items }) => {
        if (current) setState({ kind: 'loaded', items });
      },
      (error: unknown) => {
        if (current) setState({ kind: 'failed', error: describeError(error, []).general ?? { key: 'errors.generic' } });
      },
    );
    return () => {
      current = false;
    };
  }, [role, offset]);

  const onRoleChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value;
    setRole(isRole(value) ? value : undefined);
    setOffset(0);
  };

  const page = offset / PAGE_SIZE + 1;
  const hasNext = state.kind === 'loaded' && state.items.length === PAGE_SIZE;

  return (
    <div className="page">
      <header className="page-header">
        <h1 id="users-title">{t('users.title')}</h1>
        <p className="lead">{t('users.intro')}</p>
      </header>

      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor={filterId}>{t('users.roleFilter')}</label>
          <select id={filterId} name="role" value={role ?? ''} onChange={onRoleChange}>
            <option value="">{t('users.allRoles')}</option>
            {ROLES.map((item) => (
              <option key={item} value={item}>
                {t(`roles.${item}`)}
              </option>
            ))}
          </select>
        </div>
      </div>

      {state.kind === 'loading' && <Loading />}
      <FormError error={state.kind === 'failed' ? state.error : null} />
      {state.kind === 'loaded' &&
        (state.items.length === 0 ? (
          <p className="empty">{t('users.empty')}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
          <section className="table-wrap" aria-labelledby="users-title" tabIndex={0}>
            <table className="table">
              <caption className="visually-hidden">{t('users.caption', { page })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('fields.email')}</th>
                  <th scope="col">{t('fields.fullName')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.verified')}</th>
                  <th scope="col">{t('users.disabled')}</th>
                </tr>
              </thead>
              <tbody>
                {state.items.map((user) => (
                  <tr key={user.id}>
                    <td className="cell-email">{user.email}</td>
                    <td>{user.fullName}</td>
                    <td>{t(`roles.${user.role}`)}</td>
                    <td>
                      <span className={user.emailVerified ? 'badge badge-good' : 'badge badge-muted'}>
                        {user.emailVerified ? t('common.yes') : t('common.no')}
                      </span>
                    </td>
                    <td>
                      <span className={user.disabled ? 'badge badge-bad' : 'badge badge-muted'}>
                        {user.disabled ? t('common.yes') : t('common.no')}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}

      {(offset > 0 || hasNext) && (
        <nav className="pager" aria-label={t('users.pages')}>
          <button
            type="button"
            className="button button-secondary"
            disabled={offset === 0 || state.kind === 'loading'}
            onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          >
            {t('users.previous')}
          </button>
          <span>{t('users.page', { page })}</span>
          <button
            type="button"
            className="button button-secondary"
            disabled={!hasNext}
            onClick={() => setOffset(offset + PAGE_SIZE)}
          >
            {t('users.next')}
          </button>
        </nav>
      )}
    </div>
  );
}

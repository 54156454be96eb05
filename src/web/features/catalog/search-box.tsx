import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withChanges } from './catalog-query';

const DEBOUNCE_MS = 250;

/**
 * The catalog's search box: searches as you type (after a short pause) and on Enter. The first pause of
 * a burst of typing adds a history entry, later ones replace it, so "back" undoes a whole search.
 */
export function SearchBox({
  search,
  searchRef,
  go,
}: {
  search: string;
  /** The current address query, read when the pause ends (it may have changed meanwhile). */
  searchRef: RefObject<string>;
  go: (query: string, replace?: boolean) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const urlQ = new URLSearchParams(search).get('q') ?? '';
  const [text, setText] = useState(urlQ);
  const timer = useRef<number | undefined>(undefined);
  const typing = useRef(false);
  const sent = useRef(urlQ);

  // The address changed by other means (back button, reset, a link): show its search.
  useEffect(() => {
    if (urlQ === sent.current) return;
    sent.current = urlQ;
    typing.current = false;
    setText(urlQ);
  }, [urlQ]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const send = (value: string, replace: boolean) => {
    window.clearTimeout(timer.current);
    const q = value.trim();
    if (q === (new URLSearchParams(searchRef.current).get('q') ?? '')) return;
    sent.current = q;
    go(withChanges(searchRef.current, { q }), replace);
  };

  const onChange = (value: string) => {
    setText(value);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      send(value, typing.current);
      typing.current = true;
    }, DEBOUNCE_MS);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(text, typing.current);
    typing.current = false;
  };

  return (
    <search aria-label={t('catalog.search.label')}>
      <form className="search-form" onSubmit={onSubmit}>
        <label htmlFor={id}>{t('catalog.search.label')}</label>
        <div className="search-row">
          <input
            id={id}
            name="q"
            type="search"
            data-testid="catalog-search"
            value={text}
            onChange={(event) => onChange(event.target.value)}
            placeholder={t('catalog.search.placeholder')}
            autoComplete="off"
            enterKeyHint="search"
            maxLength={200}
            aria-describedby={`${id}-hint`}
          />
          <button type="submit" className="button button-primary">
            {t('catalog.search.submit')}
          </button>
        </div>
        <p className="field-hint" id={`${id}-hint`}>
          {t('catalog.search.hint')}
        </p>
      </form>
    </search>
  );
}

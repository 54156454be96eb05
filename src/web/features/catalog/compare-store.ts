/** The programs picked for comparison: at most four, remembered on this device (localStorage). */
import { useSyncExternalStore } from 'react';
import type { Text } from './catalog-api';

export const COMPARE_MAX = 4;
const STORAGE_KEY = 'medadmit.compare';

export interface ComparedProgram {
  slug: string;
  title: Text;
}

export interface CompareState {
  items: readonly ComparedProgram[];
  /** Set when a fifth program was refused; cleared by the next change. */
  refused: boolean;
}

function isText(value: unknown): value is Text {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Text).en === 'string' &&
    typeof (value as Text).ru === 'string'
  );
}

function read(): ComparedProgram[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter(
        (item): item is ComparedProgram =>
          typeof item === 'object' && item !== null && typeof item.slug === 'string' && isText(item.title),
      )
      .slice(0, COMPARE_MAX);
  } catch {
    return []; // Storage disabled or damaged: start empty.
  }
}

let state: CompareState = { items: read(), refused: false };
const listeners = new Set<() => void>();

function set(next: CompareState, persist = true): void {
  state = next;
  if (persist) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next.items));
    } catch {
      // The choice then lasts for this page only.
    }
  }
  for (const listener of listeners) listener();
}

// Another tab changed the selection: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) set({ items: read(), refused: false }, false);
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const compareStore = {
  has: (slug: string) => state.items.some((item) => item.slug === slug),
  /** Adds a program; false (and `refused` set) when four are already picked. */
  add(program: ComparedProgram): boolean {
    if (compareStore.has(program.slug)) return true;
    if (state.items.length >= COMPARE_MAX) {
      set({ ...state, refused: true }, false);
      return false;
    }
    set({ items: [...state.items, { slug: program.slug, title: program.title }], refused: false });
    return true;
  },
  remove(slug: string): void {
    set({ items: state.items.filter((item) => item.slug !== slug), refused: false });
  },
  clear(): void {
    set({ items: [], refused: false });
  },
  dismissRefusal(): void {
    if (state.refused) set({ ...state, refused: false }, false);
  },
};

export function useCompare(): CompareState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => state,
  );
}

/** The address of the comparison of these programs. */
export function compareHref(slugs: readonly string[]): string {
  return `/compare?programs=${slugs.map(encodeURIComponent).join(',')}`;
}

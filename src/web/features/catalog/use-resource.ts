import { useEffect, useState } from 'react';

export interface Resource<T> {
  /** The latest answer; kept while the next one loads so the page does not jump. */
  data: T | null;
  error: unknown;
  loading: boolean;
}

/**
 * Loads what `load` returns whenever `key` changes; a newer key cancels the older request, whose
 * answer is then ignored. A null key loads nothing.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<Resource<T>>({ data: null, error: null, loading: key !== null });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything `load` depends on.
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((current) =>
      current.loading && current.error === null ? current : { ...current, error: null, loading: true },
    );
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((current) => ({ data: current.data, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [key]);

  return state;
}

import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { describeError, type FormErrors, hasErrors, NO_ERRORS } from './errors';

/** Reads a text value from submitted form data. */
export function textOf(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * State of one form: busy while a request runs, errors from the client checks or the API,
 * and focus moved to the first invalid input after a failed submit.
 */
export function useForm(
  fieldNames: readonly string[],
  /** How a failed request is told; by default, field errors next to their inputs and the rest in the alert. */
  explain: (error: unknown, fieldNames: readonly string[]) => FormErrors = describeError,
) {
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [failures, setFailures] = useState(0);

  useEffect(() => {
    if (failures === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failures]);

  const fail = useCallback((next: FormErrors) => {
    setErrors(next);
    setFailures((count) => count + 1);
  }, []);

  /** Wraps a submit handler: prevents the page load, runs client checks, then the request. */
  const onSubmit = useCallback(
    (check: (data: FormData) => FormErrors, action: (data: FormData, form: HTMLFormElement) => Promise<void>) =>
      async (event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        const form = event.currentTarget;
        const data = new FormData(form);
        const problems = check(data);
        if (hasErrors(problems)) {
          fail(problems);
          return;
        }
        setErrors(NO_ERRORS);
        setBusy(true);
        try {
          await action(data, form);
        } catch (error) {
          fail(explain(error, fieldNames));
        } finally {
          setBusy(false);
        }
      },
    [fail, fieldNames, explain],
  );

  return { formRef, busy, errors, onSubmit, reset: () => setErrors(NO_ERRORS) };
}

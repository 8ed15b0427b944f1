import { useCallback, useEffect, useRef, useState } from 'react';
import { accountErrorFor, type AccountField, type FormError } from './account-errors';

/**
 * State of one account form: busy while sending, the error to show, and
 * focus moved to what the error is about (the field, or the form's message)
 * so keyboard and screen reader users land on it.
 */
export function useAccountForm(passwordField: AccountField = 'password') {
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const targets = useRef(new Map<AccountField | 'form', HTMLElement | null>());

  useEffect(() => {
    if (error) targets.current.get(error.field ?? 'form')?.focus();
  }, [error]);

  /** Runs the browser's checks in order, then `action`; resolves true when it succeeded. */
  const submit = useCallback(
    async (checks: Array<FormError | null>, action: () => Promise<unknown>): Promise<boolean> => {
      const failed = checks.find((check) => check !== null);
      if (failed) {
        setError(failed);
        return false;
      }
      setBusy(true);
      setError(null);
      try {
        await action();
        return true;
      } catch (cause) {
        setError(accountErrorFor(cause, passwordField));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [passwordField],
  );

  /** A ref callback registering the element focused for errors about `key`. */
  const focusTarget = useCallback(
    (key: AccountField | 'form') => (element: HTMLElement | null) => void targets.current.set(key, element),
    [],
  );

  const clear = useCallback(() => setError(null), []);

  return {
    error,
    busy,
    submit,
    clear,
    focusTarget,
    fieldError: (field: AccountField) => (error?.field === field ? error.message : undefined),
  };
}

export type AccountForm = ReturnType<typeof useAccountForm>;

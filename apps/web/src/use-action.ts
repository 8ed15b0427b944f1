import { useCallback, useState } from 'react';

/**
 * Runs a button's async action: `busy` disables the button meanwhile, and a
 * failure becomes `failed` for the component to explain instead of an
 * unhandled rejection.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setFailed(false);
    try {
      await action();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, failed, run };
}

import { useCallback, useState } from 'react';
import { isSessionApiError, useSession } from '@session/react-session';
import { readPreferences, type Preferences } from './preferences';

export type SaveState = { kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string };

function saveErrorMessage(error: unknown): string {
  if (isSessionApiError(error) && error.code === 'version_conflict') {
    return 'Your preferences were changed in another window while saving. Check them and try again.';
  }
  if (isSessionApiError(error) && error.code === 'network_error') return 'Could not reach the server. Check your connection and try again.';
  return 'Your preferences could not be saved. Please try again.';
}

/**
 * The preferences as stored in the session, with changes still being saved
 * laid over them, so a new theme shows the moment it is picked.
 */
export function usePreferences() {
  const { session, updateData } = useSession();
  const [pending, setPending] = useState<Partial<Preferences>>({});
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const preferences: Preferences = { ...readPreferences(session?.user_data), ...pending };

  const save = useCallback(
    async (changes: Partial<Preferences>) => {
      setPending((p) => ({ ...p, ...changes }));
      setSaveState({ kind: 'saving' });
      try {
        await updateData({ preferences: changes });
        setSaveState({ kind: 'saved' });
      } catch (error) {
        setSaveState({ kind: 'error', message: saveErrorMessage(error) });
      } finally {
        setPending((p) => {
          const rest = { ...p };
          for (const key of Object.keys(changes) as Array<keyof Preferences>) delete rest[key];
          return rest;
        });
      }
    },
    [updateData],
  );

  return { preferences, save, saveState };
}

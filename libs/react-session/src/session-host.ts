/** A change another tab made to the shared storage (the fields of a DOM `StorageEvent` the controller reads). */
export interface StorageChange {
  key: string | null;
  newValue: string | null;
  /** The storage that changed; events about another storage area (sessionStorage) are ignored. */
  storageArea: unknown;
}

/**
 * What the session controller needs from the page around it. `browserHost()`
 * is the real one; tests, workers or other hosts pass their own, and `null`
 * means no other tabs and always visible (a plain script).
 */
export interface SessionHost {
  /** Other tabs' writes to the shared storage; returns the unsubscribe. */
  onStorageChange(listener: (change: StorageChange) => void): () => void;
  /** Whether someone can see the page; an expired session is only replaced for a visible one. */
  isVisible(): boolean;
  onVisibilityChange(listener: () => void): () => void;
}

/** `window` and `document`, when the code runs in a page. */
export function browserHost(): SessionHost | null {
  if (typeof window === 'undefined' || typeof document === 'undefined') return null;
  return {
    onStorageChange(listener) {
      const onStorage = (event: StorageEvent) => listener(event);
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
    isVisible: () => document.visibilityState !== 'hidden',
    onVisibilityChange(listener) {
      document.addEventListener('visibilitychange', listener);
      return () => document.removeEventListener('visibilitychange', listener);
    },
  };
}

import type { SessionHost, StorageChange } from '../session-host';
import type { SnapshotStorage } from '../session-snapshot';

/** One tab of a FakeOrigin: its view of the shared storage, and a host that hears the other tabs. */
export interface FakeTab {
  readonly storage: SnapshotStorage;
  readonly host: SessionHost;
  /** Shows or hides the tab, telling its visibility listeners as a browser would. */
  setVisible(visible: boolean): void;
}

/**
 * The tabs of one browser origin without a browser: they share `items` (as
 * they share localStorage), and a write through one tab's storage reaches
 * every other tab's host as a storage event (never the writer's own, as in
 * browsers). For controller tests in plain Node.
 */
export interface FakeOrigin {
  readonly items: Map<string, string>;
  openTab(options?: { visible?: boolean }): FakeTab;
}

export function createFakeOrigin(): FakeOrigin {
  const items = new Map<string, string>();
  const tabs = new Set<{ storage: SnapshotStorage; listeners: Set<(change: StorageChange) => void> }>();

  function openTab({ visible: initiallyVisible = true } = {}): FakeTab {
    let visible = initiallyVisible;
    const visibilityListeners = new Set<() => void>();
    const listeners = new Set<(change: StorageChange) => void>();
    const tell = (key: string, newValue: string | null) => {
      for (const other of tabs)
        if (other.storage !== storage) other.listeners.forEach((listener) => listener({ key, newValue, storageArea: other.storage }));
    };
    const storage: SnapshotStorage = {
      getItem: (key) => items.get(key) ?? null,
      setItem(key, value) {
        items.set(key, String(value));
        tell(key, String(value));
      },
      removeItem(key) {
        items.delete(key);
        tell(key, null);
      },
    };
    tabs.add({ storage, listeners });
    const subscribe = <T>(set: Set<T>, listener: T) => {
      set.add(listener);
      return () => void set.delete(listener);
    };
    return {
      storage,
      host: {
        onStorageChange: (listener) => subscribe(listeners, listener),
        isVisible: () => visible,
        onVisibilityChange: (listener) => subscribe(visibilityListeners, listener),
      },
      setVisible(next) {
        visible = next;
        visibilityListeners.forEach((listener) => listener());
      },
    };
  }

  return { items, openTab };
}

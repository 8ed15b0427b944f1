import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * Whether `value` has changed since the first render (and stays true after).
 * A card that appears because of something the person did (signing in or
 * out) takes focus, so keyboard and screen reader users are not left on a
 * form that went away; one that is there on page load does not steal it.
 */
export function useChangedSinceLoad(value: boolean): boolean {
  const [initial] = useState(value);
  const [changed, setChanged] = useState(false);
  // Derived state, set during render as React documents for it.
  if (!changed && value !== initial) setChanged(true);
  return changed || value !== initial;
}

/** Focuses the element once mounted, when `enabled`. */
export function useFocusOnMount<T extends HTMLElement>(enabled: boolean): RefObject<T | null> {
  const ref = useRef<T>(null);
  // Read once: a later change of `enabled` must not move focus again.
  const [focus] = useState(enabled);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return ref;
}

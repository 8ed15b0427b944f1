/** Freezes a parsed configuration all the way down: it is read everywhere and must never change after start. */
export function deepFreeze<T>(value: T): T {
  for (const v of Object.values(value as object)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(value);
}

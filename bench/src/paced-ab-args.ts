import { medianIndex } from './distribution';

/** One side of an A/B comparison: the gateway's extra environment and node flags. */
export interface SideSettings {
  env: Record<string, string>;
  nodeArgs: string[];
}

/**
 * `"SESSION_CACHE_MAX_AGE=5m --max-semi-space-size=4"`: words starting with `--` are node flags,
 * `NAME=value` words environment variables; anything else is refused, so a typo does not silently
 * measure the defaults.
 */
export function parseSide(spec: string): SideSettings {
  const side: SideSettings = { env: {}, nodeArgs: [] };
  for (const word of spec.split(/\s+/).filter(Boolean)) {
    if (word.startsWith('--')) side.nodeArgs.push(word);
    else if (/^[A-Z][A-Z0-9_]*=/.test(word)) {
      const at = word.indexOf('=');
      side.env[word.slice(0, at)] = word.slice(at + 1);
    } else throw new Error(`"${word}" is neither NAME=value nor a --node-flag`);
  }
  return side;
}

/** The median of repeated round figures (the lower middle one with an even count, so a measured round). */
export function medianOf(values: readonly number[]): number {
  return values.length === 0 ? NaN : values[medianIndex(values)];
}

/** Weak ETags are enough: the version is the whole identity of a session's data. */
export function versionToEtag(version: number): string {
  return `W/"v${version}"`;
}

/** Reads a version back from an ETag or If-Match value; null when it is not one of ours. */
export function etagToVersion(etag: string | null | undefined): number | null {
  if (!etag) return null;
  const m = /^(?:W\/)?"v(\d{1,15})"$/.exec(etag.trim());
  return m ? Number(m[1]) : null;
}

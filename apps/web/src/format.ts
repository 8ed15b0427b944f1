/** First block of the UUID: enough to tell sessions apart on screen. */
export function shortId(sessionId: string): string {
  return sessionId.split('-')[0] ?? sessionId;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A countdown that stays readable from 30 days down to the last seconds. */
export function formatTimeLeft(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${pad(minutes)} min`;
  return `${minutes}:${pad(seconds)}`;
}

/** Date and time in the chosen language, in the browser's time zone. */
export function formatDateTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

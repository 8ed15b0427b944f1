/** Number formats shared by the progress lines and the table; NaN (or null after IPC) prints as n/a. */
export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number | null) => (n !== null && Number.isFinite(n) ? n.toFixed(2) : 'n/a');
export const times = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : 'n/a');

import type { SessionStatus } from '@session/react-session';

const LABELS: Record<SessionStatus, string> = {
  loading: 'Checking',
  active: 'Active',
  expired: 'Expired',
  ended: 'Ended',
  error: 'Offline',
};

export function StatusBadge({ status }: { status: SessionStatus }) {
  return (
    <span className={`badge badge-${status}`}>
      <span className="badge-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}

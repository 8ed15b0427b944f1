import { useSession } from '@session/react-session';
import { expiryWarning } from '../expiry-warning';
import { formatTimeLeft } from '../format';
import { useAction } from '../use-action';

export function ExpiryBanner() {
  const { session, status, timeLeftMs, touch } = useSession();
  const { busy, failed, run } = useAction();
  if (!session || status !== 'active' || timeLeftMs === null) return null;
  const warning = expiryWarning(session, timeLeftMs);
  if (warning.kind === 'none') return null;

  return (
    <div className="banner banner-warning" role="alert">
      <p>
        {warning.kind === 'idle'
          ? 'Your session is about to expire after a period of inactivity.'
          : 'Your session reaches its maximum age soon; a new one will start automatically.'}{' '}
        <span role="timer" className="countdown">
          {formatTimeLeft(timeLeftMs)}
        </span>{' '}
        left.
        {failed && ' It could not be extended; please try again.'}
      </p>
      {warning.kind === 'idle' && (
        <button type="button" className="button primary" disabled={busy} onClick={() => run(touch)}>
          Stay signed in
        </button>
      )}
    </div>
  );
}

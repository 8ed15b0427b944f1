import { sessionExpiresAt, useSession } from '@session/react-session';
import { formatDateTime, formatTimeLeft, shortId } from '../format';
import { useAction } from '../use-action';
import { StatusBadge } from './status-badge';

export function SessionCard({ language }: { language: string }) {
  const { session, status, timeLeftMs, endSession, refresh } = useSession();
  const { busy, failed, run } = useAction();
  const actionError = !failed
    ? null
    : status === 'ended'
      ? 'A new session could not be started. Please try again.'
      : 'The session could not be ended. Please try again.';

  return (
    <section className="card" aria-labelledby="session-title">
      <div className="card-head">
        <h2 id="session-title">Session</h2>
        <StatusBadge status={status} />
      </div>

      {session ? (
        <dl className="facts">
          <div>
            <dt>Session ID</dt>
            <dd>
              <code title={session.session_id} data-session-id={session.session_id}>
                {shortId(session.session_id)}
              </code>
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <time dateTime={session.created_at}>{formatDateTime(session.created_at, language)}</time>
            </dd>
          </div>
          <div>
            <dt>Expires in</dt>
            <dd>
              <span role="timer" className="countdown" title={formatDateTime(new Date(sessionExpiresAt(session)).toISOString(), language)}>
                {formatTimeLeft(timeLeftMs ?? 0)}
              </span>
            </dd>
          </div>
          <div>
            <dt>Signed-in user</dt>
            <dd>{session.user_id ?? <span className="muted">Anonymous</span>}</dd>
          </div>
        </dl>
      ) : status === 'ended' ? (
        <p className="card-text">Your session has ended. Nothing about it is kept in this browser.</p>
      ) : (
        <p className="card-text muted" aria-busy="true">
          Starting your session…
        </p>
      )}

      {actionError && (
        <p className="inline-error" role="alert">
          {actionError}
        </p>
      )}

      <div className="actions">
        {status === 'ended' ? (
          <button type="button" className="button primary" disabled={busy} onClick={() => run(refresh)}>
            Start a new session
          </button>
        ) : (
          <button type="button" className="button danger" disabled={busy || !session} onClick={() => run(endSession)}>
            End session
          </button>
        )}
      </div>
    </section>
  );
}

import { useSession } from '@session/react-session';
import type { SessionDto } from '@session/rest-contract';
import { formatDateTime } from '../format';
import { useAction } from '../use-action';
import { useFocusOnMount } from '../use-focus-on-mount';

/** Who the session is signed in as: the email the server put in the claims when it did, else the user id. */
export function accountName(session: SessionDto): string {
  const email = session.claims?.['email'];
  return typeof email === 'string' ? email : (session.user_id ?? '');
}

/** The signed-in account, and signing out. */
export function AccountCard({ language, focusOnMount }: { language: string; focusOnMount: boolean }) {
  const { session, signOut } = useSession();
  const { busy, failed, run } = useAction();
  const heading = useFocusOnMount<HTMLHeadingElement>(focusOnMount);
  const signedIn = session;
  if (!signedIn?.user_id) return null;

  return (
    <section className="card" aria-labelledby="account-title">
      <div className="card-head">
        <h2 id="account-title" ref={heading} tabIndex={-1}>
          Account
        </h2>
      </div>
      <dl className="facts">
        <div>
          <dt>Signed in as</dt>
          <dd data-testid="account-name">{accountName(signedIn)}</dd>
        </div>
        {signedIn.authenticated_at && (
          <div>
            <dt>Signed in</dt>
            <dd>
              <time dateTime={signedIn.authenticated_at}>{formatDateTime(signedIn.authenticated_at, language)}</time>
            </dd>
          </div>
        )}
        <div>
          <dt>On this device</dt>
          <dd>{signedIn.remember_me ? 'Remembered' : 'Until the browser closes'}</dd>
        </div>
      </dl>
      {failed && (
        <p className="inline-error" role="alert">
          You could not be signed out. Please try again.
        </p>
      )}
      <div className="actions">
        <button type="button" className="button danger" disabled={busy} onClick={() => run(signOut)}>
          Sign out
        </button>
      </div>
    </section>
  );
}

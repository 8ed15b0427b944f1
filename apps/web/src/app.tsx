import { useState } from 'react';
import { useSession } from '@session/react-session';
import { AccountCard } from './components/account-card';
import { ChangePasswordCard } from './components/change-password-card';
import { DevicesCard } from './components/devices-card';
import { ExpiryBanner } from './components/expiry-banner';
import { PreferencesForm } from './components/preferences-form';
import { SessionCard } from './components/session-card';
import { SignInCard } from './components/sign-in-card';
import { SiteHeader } from './components/site-header';
import { greeting } from './preferences';
import { useDocumentPreferences } from './use-document-preferences';
import { useChangedSinceLoad } from './use-focus-on-mount';
import { usePreferences } from './use-preferences';

export function App() {
  const { session, status, refresh } = useSession();
  const { preferences, save, saveState } = usePreferences();
  useDocumentPreferences(preferences.theme, preferences.language);
  const userId = session?.user_id ?? null;
  const accountChanged = useChangedSinceLoad(userId !== null);
  // Bumped by a password change, which ends the other sessions: the devices list reloads.
  const [passwordChanges, setPasswordChanges] = useState(0);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <SiteHeader greeting={greeting(preferences)} />
      <main id="main" className="page">
        <ExpiryBanner />
        {status === 'error' && (
          <div className="banner banner-error" role="alert">
            <p>We can’t reach the server right now. What you see is the last known state of your session.</p>
            <button type="button" className="button" onClick={() => refresh().catch(() => undefined)}>
              Try again
            </button>
          </div>
        )}
        <div className="intro">
          <h1>Your session</h1>
          <p className="muted">Atlas keeps you signed in on this device until the session expires or you end it.</p>
        </div>
        <div className="grid">
          {userId ? (
            <AccountCard key={`account:${userId}`} language={preferences.language} focusOnMount={accountChanged} />
          ) : (
            <SignInCard focusOnMount={accountChanged} />
          )}
          <SessionCard language={preferences.language} />
          <PreferencesForm
            preferences={preferences}
            saveState={saveState}
            disabled={!session || status === 'ended'}
            onSave={(changes) => void save(changes)}
          />
          {userId && <ChangePasswordCard key={`password:${userId}`} onChanged={() => setPasswordChanges((n) => n + 1)} />}
          {userId && <DevicesCard key={`devices:${userId}:${passwordChanges}`} language={preferences.language} />}
        </div>
      </main>
      <footer className="site-footer">
        <p className="muted">Your sign-in lives in a secure, HttpOnly cookie; this page never stores credentials.</p>
      </footer>
    </>
  );
}

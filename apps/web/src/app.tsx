import { useSession } from '@session/react-session';
import { ExpiryBanner } from './components/expiry-banner';
import { PreferencesForm } from './components/preferences-form';
import { SessionCard } from './components/session-card';
import { SiteHeader } from './components/site-header';
import { greeting } from './preferences';
import { useDocumentPreferences } from './use-document-preferences';
import { usePreferences } from './use-preferences';

export function App() {
  const { session, status, refresh } = useSession();
  const { preferences, save, saveState } = usePreferences();
  useDocumentPreferences(preferences.theme, preferences.language);

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
          <SessionCard language={preferences.language} />
          <PreferencesForm preferences={preferences} saveState={saveState} disabled={!session || status === 'ended'} onSave={(changes) => void save(changes)} />
        </div>
      </main>
      <footer className="site-footer">
        <p className="muted">Your sign-in lives in a secure, HttpOnly cookie; this page never stores credentials.</p>
      </footer>
    </>
  );
}

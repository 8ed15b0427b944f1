import { useId, useState, type FormEvent } from 'react';
import { DISPLAY_NAME_MAX, LANGUAGES, THEMES, type Language, type Preferences, type Theme } from '../preferences';
import type { SaveState } from '../use-preferences';

const THEME_LABELS: Record<Theme, string> = { light: 'Light', dark: 'Dark', system: 'System' };

interface PreferencesFormProps {
  preferences: Preferences;
  saveState: SaveState;
  disabled: boolean;
  onSave(changes: Partial<Preferences>): void;
}

export function PreferencesForm({ preferences, saveState, disabled, onSave }: PreferencesFormProps) {
  const id = useId();
  // null while the field shows the stored name, so a change from another tab appears in it.
  const [draft, setDraft] = useState<string | null>(null);
  const name = draft ?? preferences.display_name;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft !== null) onSave({ display_name: draft.trim() });
    setDraft(null);
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>Preferences</h2>
      </div>
      <p className="card-text muted">Saved in your session, so they follow you across reloads and tabs.</p>
      <form className="form" onSubmit={submit}>
        <fieldset disabled={disabled}>
          <div className="field">
            <label htmlFor={`${id}-name`}>Display name</label>
            <div className="inline">
              <input
                id={`${id}-name`}
                name="display_name"
                type="text"
                autoComplete="nickname"
                maxLength={DISPLAY_NAME_MAX}
                value={name}
                onChange={(e) => setDraft(e.target.value)}
              />
              <button type="submit" className="button" disabled={draft === null || draft.trim() === preferences.display_name}>
                Save
              </button>
            </div>
          </div>

          <fieldset className="field">
            <legend>Theme</legend>
            <div className="segmented">
              {THEMES.map((theme) => (
                <label key={theme} className="segment">
                  <input type="radio" name="theme" value={theme} checked={preferences.theme === theme} onChange={() => onSave({ theme })} />
                  <span>{THEME_LABELS[theme]}</span>
                </label>
              ))}
            </div>
          </fieldset>

          <div className="field">
            <label htmlFor={`${id}-language`}>Language</label>
            <select
              id={`${id}-language`}
              name="language"
              value={preferences.language}
              onChange={(e) => onSave({ language: e.target.value as Language })}
            >
              {Object.entries(LANGUAGES).map(([code, { label }]) => (
                <option key={code} value={code} lang={code}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
      </form>
      <SaveStatus state={saveState} />
    </section>
  );
}

function SaveStatus({ state }: { state: SaveState }) {
  if (state.kind === 'error') {
    return (
      <p className="inline-error" role="alert">
        {state.message}
      </p>
    );
  }
  return (
    <p className="save-status" role="status">
      {state.kind === 'saving' ? 'Saving…' : state.kind === 'saved' ? 'Saved' : ''}
    </p>
  );
}

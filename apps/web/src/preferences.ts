import type { UserData } from '@session/rest-contract';

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

export const LANGUAGES = {
  en: { label: 'English', hello: 'Hello', welcome: 'Welcome' },
  fr: { label: 'Français', hello: 'Bonjour', welcome: 'Bienvenue' },
  de: { label: 'Deutsch', hello: 'Hallo', welcome: 'Willkommen' },
  es: { label: 'Español', hello: 'Hola', welcome: 'Bienvenida' },
} as const;
export type Language = keyof typeof LANGUAGES;

/** The app's preferences, kept in `user_data.preferences` so they travel with the session. */
export interface Preferences {
  display_name: string;
  theme: Theme;
  language: Language;
}

export const DISPLAY_NAME_MAX = 60;

export const DEFAULT_PREFERENCES: Preferences = { display_name: '', theme: 'system', language: 'en' };

const isTheme = (v: unknown): v is Theme => typeof v === 'string' && (THEMES as readonly string[]).includes(v);
const isLanguage = (v: unknown): v is Language => typeof v === 'string' && Object.hasOwn(LANGUAGES, v);

/** Reads preferences from session data written by any version of the app (or by hand): unknown values fall back to defaults. */
export function readPreferences(userData: UserData | undefined): Preferences {
  const raw = userData?.preferences;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return DEFAULT_PREFERENCES;
  return {
    display_name: typeof raw.display_name === 'string' ? raw.display_name.slice(0, DISPLAY_NAME_MAX) : DEFAULT_PREFERENCES.display_name,
    theme: isTheme(raw.theme) ? raw.theme : DEFAULT_PREFERENCES.theme,
    language: isLanguage(raw.language) ? raw.language : DEFAULT_PREFERENCES.language,
  };
}

export function greeting(preferences: Preferences): string {
  const words = LANGUAGES[preferences.language];
  const name = preferences.display_name.trim();
  return name ? `${words.hello}, ${name}` : words.welcome;
}

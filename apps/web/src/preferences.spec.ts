import { DEFAULT_PREFERENCES, greeting, readPreferences } from './preferences';

describe('preferences', () => {
  it('reads stored preferences and falls back per field on bad values', () => {
    expect(readPreferences({ preferences: { display_name: 'Ada', theme: 'dark', language: 'de' } })).toEqual({
      display_name: 'Ada',
      theme: 'dark',
      language: 'de',
    });
    expect(readPreferences({ preferences: { display_name: 7, theme: 'neon', language: 'xx' } })).toEqual(DEFAULT_PREFERENCES);
    expect(readPreferences({ preferences: ['dark'] })).toEqual(DEFAULT_PREFERENCES);
    expect(readPreferences(undefined)).toEqual(DEFAULT_PREFERENCES);
    expect(readPreferences({ preferences: { display_name: 'x'.repeat(100) } }).display_name).toHaveLength(60);
  });

  it('greets by name in the chosen language', () => {
    expect(greeting({ display_name: ' Ada ', theme: 'system', language: 'es' })).toBe('Hola, Ada');
    expect(greeting({ display_name: '', theme: 'system', language: 'de' })).toBe('Willkommen');
  });
});

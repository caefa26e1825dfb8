import { AsyncLocalStorage } from 'node:async_hooks';
import { catalogues, type MessageParams } from './catalogue.js';
import { DEFAULT_LANGUAGE, type Language } from './languages.js';

const storage = new AsyncLocalStorage<{ language: Language }>();

/** The language of the request being handled (the signed-in user's, else the browser's), English outside one. */
export const LanguageContext = {
  run<T>(language: Language, fn: () => T): T {
    return storage.run({ language }, fn);
  },
  /** Changes the language for the rest of the request (after sign-in, or a change on the profile page). */
  set(language: Language): void {
    const store = storage.getStore();
    if (store) store.language = language;
  },
  language(): Language {
    return storage.getStore()?.language ?? DEFAULT_LANGUAGE;
  },
};

/** A message of the catalogue in a given language. */
export function translate(language: Language, key: string, params?: MessageParams): string {
  return catalogues().format(language, key, params);
}

/** A message of the catalogue in the current request's language: `t('nav.cases')`, `t('daysLeft.left', { days })`. */
export function t(key: string, params?: MessageParams): string {
  return translate(LanguageContext.language(), key, params);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.js';

/** The folder of the catalogues beside src/ (in dist/ the build copies them there). */
export const CATALOGUE_DIR = fileURLToPath(new URL('../catalogues', import.meta.url));

export type MessageParams = Record<string, PrimitiveType | Date>;

/** A catalogue that cannot be used: unreadable, not a flat object of strings, or a message that is not ICU. */
export class CatalogueError extends Error {
  constructor(
    readonly file: string,
    readonly key: string | null,
    problem: string,
  ) {
    super(`message catalogue ${file}${key ? `, key "${key}"` : ''}: ${problem}`);
    this.name = 'CatalogueError';
  }
}

/** Message keys: lower-case dotted words (`nav.dashboard`, `cases.show.title`). */
export const KEY_PATTERN = /^[a-z][a-zA-Z0-9]*(?:[._-][a-zA-Z0-9]+)*$/;

/**
 * The message catalogues of every language, each message parsed once as ICU MessageFormat
 * (intl-messageformat): plurals, selects, numbers and dates through the runtime's Intl for the language.
 */
export class Catalogues {
  private constructor(
    private readonly messages: Map<Language, Map<string, IntlMessageFormat>>,
    private readonly sources: Map<Language, Map<string, string>>,
  ) {}

  /** Reads and checks `<dir>/<language>.json` for every language; throws CatalogueError naming file and key. */
  static load(dir: string = CATALOGUE_DIR): Catalogues {
    const messages = new Map<Language, Map<string, IntlMessageFormat>>();
    const sources = new Map<Language, Map<string, string>>();
    for (const language of LANGUAGES) {
      const file = join(dir, `${language}.json`);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new CatalogueError(file, null, error instanceof Error ? error.message : String(error));
      }
      if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        throw new CatalogueError(file, null, 'must be one JSON object of key → message');
      const compiled = new Map<string, IntlMessageFormat>();
      const texts = new Map<string, string>();
      for (const [key, text] of Object.entries(raw as Record<string, unknown>)) {
        if (!KEY_PATTERN.test(key)) throw new CatalogueError(file, key, 'keys are dotted words such as nav.dashboard');
        if (typeof text !== 'string' || text.trim() === '')
          throw new CatalogueError(file, key, 'the message must be a non-empty string');
        try {
          compiled.set(key, new IntlMessageFormat(text, language, undefined, { ignoreTag: true }));
        } catch (error) {
          throw new CatalogueError(file, key, `not a valid ICU message (${(error as Error).message})`);
        }
        texts.set(key, text);
      }
      messages.set(language, compiled);
      sources.set(language, texts);
    }
    return new Catalogues(messages, sources);
  }

  keys(language: Language): string[] {
    return [...(this.sources.get(language)?.keys() ?? [])];
  }

  has(key: string, language: Language = DEFAULT_LANGUAGE): boolean {
    return this.messages.get(language)?.has(key) ?? false;
  }

  source(language: Language, key: string): string | undefined {
    return this.sources.get(language)?.get(key);
  }

  /**
   * The message in the language (English when that catalogue lacks it, which the catalogue check forbids); the
   * key itself when no catalogue has it, so a mistake shows on the page rather than failing it.
   */
  format(language: Language, key: string, params: MessageParams = {}): string {
    const message = this.messages.get(language)?.get(key) ?? this.messages.get(DEFAULT_LANGUAGE)?.get(key);
    if (!message) return key;
    const result = message.format(params);
    return Array.isArray(result) ? result.join('') : String(result);
  }
}

let loaded: Catalogues | null = null;

/** The catalogues of the build, loaded (and checked) once; `loadCatalogues()` at start makes a bad one stop it. */
export function catalogues(): Catalogues {
  loaded ??= Catalogues.load();
  return loaded;
}

export function loadCatalogues(): Catalogues {
  loaded = Catalogues.load();
  return loaded;
}

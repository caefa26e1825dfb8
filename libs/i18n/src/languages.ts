/** The interface languages of Docket; each has a catalogue `catalogues/<code>.json`. */
export const LANGUAGES = ['en', 'it', 'ko', 'ja', 'fr', 'de', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The interface language of a BCP 47 locale (`it-IT` → `it`); English when Docket has no catalogue for it. */
export function languageOfLocale(locale: string | null | undefined): Language {
  const language = (locale ?? '').split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(language) ? language : DEFAULT_LANGUAGE;
}

/**
 * The best language for an `Accept-Language` header (RFC 9110 §12.5.4): the highest-weighted range Docket has,
 * its primary subtag compared (`de-AT` takes `de`); English when none.
 */
export function negotiateLanguage(header: string | null | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranges = header
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(param)?.[1]).find(Boolean);
      return { range: (range ?? '').trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.range && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of ranges) {
    const primary = range.split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return DEFAULT_LANGUAGE;
}

/**
 * The locale for dates and numbers shown to a user: the authority's own (`it-IT`) when it is in the user's
 * language, else the user's language (a Berlin user reading English sees English dates).
 */
export function formattingLocale(language: Language, authorityLocale: string | null | undefined): string {
  if (authorityLocale && languageOfLocale(authorityLocale) === language && authorityLocale.includes('-'))
    return authorityLocale;
  return dateLocale(language);
}

/**
 * The Intl locale dates are written in for a locale: a bare `en` is `en-GB`, as regulators writing in English date
 * their letters and pages ("17 February 2025", not "February 17, 2025"). Throws a RangeError for a malformed locale.
 */
export function dateLocale(locale: string): string {
  const [canonical] = Intl.getCanonicalLocales(locale);
  return canonical === undefined || canonical === 'en' ? 'en-GB' : canonical;
}

/** A local date ("2030-03-11") written out in a locale: "11 March 2030", "11 marzo 2030". */
export function writtenDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** An instant in a time zone, written out in a locale: "11 March 2030 at 23:59", "2030年3月11日 23:59". */
export function writtenInstant(instant: Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(dateLocale(locale), { dateStyle: 'long', timeStyle: 'short', timeZone }).format(
    instant,
  );
}

/** Each language named in itself, as a language menu shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  it: 'Italiano',
  ko: '한국어',
  ja: '日本語',
  fr: 'Français',
  de: 'Deutsch',
  nl: 'Nederlands',
};

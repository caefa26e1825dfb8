import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * The fonts letters are set in, from registry packages (Google's Noto Sans as static TrueType files, OFL-1.1):
 * Noto Sans for Latin, Greek and Cyrillic scripts, Noto Sans KR and JP for Korean and Japanese (each also
 * covers Latin). pdfkit subsets each into the document, so a letter carries only the glyphs it uses.
 */
export type FontFamily = 'latin' | 'kr' | 'jp';
export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontFamily, Record<FontWeight, string>> = {
  latin: {
    regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  },
  kr: {
    regular: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
  },
  jp: {
    regular: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
  },
};

export interface LoadedFont {
  family: FontFamily;
  weight: FontWeight;
  /** The pdfkit font name registered for this face. */
  name: string;
  /** Parsed once and shared by every document: its tables (GSUB/GPOS, glyphs) are read once per process. */
  parsed: fontkit.Font;
  /**
   * The words pdfkit has set in this face, as it keeps them (shaped and scaled): shared by every document, so that
   * the words every letter repeats are shaped once per process (see letter-pdf.ts).
   */
  layouts: Record<string, unknown>;
  hasGlyph(codePoint: number): boolean;
}

const require = createRequire(import.meta.url);
const loaded = new Map<string, LoadedFont>();

/** A face, read from its package once per process. */
export function font(family: FontFamily, weight: FontWeight = 'regular'): LoadedFont {
  const key = `${family}-${weight}`;
  let face = loaded.get(key);
  if (!face) {
    const bytes = readFileSync(require.resolve(FILES[family][weight]));
    const parsed = withDecodedGlyphsKept(fontkit.create(bytes) as fontkit.Font);
    const covered = new Set<number>(parsed.characterSet);
    face = {
      family,
      weight,
      name: key,
      parsed,
      layouts: boundedRecord(LAYOUT_CACHE_SIZE),
      hasGlyph: (codePoint) => covered.has(codePoint),
    };
    loaded.set(key, face);
  }
  return face;
}

/** The family a letter in this locale is set in first. */
export function primaryFamily(locale: string): FontFamily {
  const base = locale.toLowerCase().split('-')[0];
  if (base === 'ko') return 'kr';
  if (base === 'ja') return 'jp';
  return 'latin';
}

/** Text made of printable ASCII and white space only (every family has a glyph for each of these). */
const PRINTABLE_ASCII = /^[\x20-\x7e\s]*$/;

/** Characters that need no glyph (line breaks, controls, zero-width marks). */
const IGNORABLE = /[\p{Cc}\p{Cf}\s]/u;

/**
 * The family that has a glyph for every character of `text`: the locale's first, else the others in turn.
 * Throws MissingGlyphsError with the characters no family has.
 */
export function familyFor(text: string, locale: string): FontFamily {
  const first = primaryFamily(locale);
  // Most of a letter is printable ASCII, which every family has: no need to look at each character.
  if (PRINTABLE_ASCII.test(text)) return first;
  const order: FontFamily[] = [first, ...(['latin', 'kr', 'jp'] as const).filter((family) => family !== first)];
  const characters = [...new Set([...text].filter((char) => !IGNORABLE.test(char)))];
  for (const family of order) {
    const face = font(family);
    if (characters.every((char) => face.hasGlyph(char.codePointAt(0) as number))) return family;
  }
  const missing = characters.filter((char) =>
    order.every((family) => !font(family).hasGlyph(char.codePointAt(0) as number)),
  );
  if (missing.length) throw new MissingGlyphsError(missing);
  // Every character has a glyph somewhere, only no single family has them all: the one missing fewest.
  return order
    .map((family) => ({
      family,
      missing: characters.filter((char) => !font(family).hasGlyph(char.codePointAt(0) as number)).length,
    }))
    .sort((a, b) => a.missing - b.missing)[0].family;
}

export class MissingGlyphsError extends Error {
  constructor(readonly characters: string[]) {
    super(
      `no font of the letter has these characters: ${characters
        .slice(0, 10)
        .map((char) => `"${char}" (U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')})`)
        .join(', ')}${characters.length > 10 ? ` and ${characters.length - 10} more` : ''}`,
    );
    this.name = 'MissingGlyphsError';
  }
}

const LAYOUT_CACHE_SIZE = 20_000;

/**
 * The font, its glyphs keeping their outline once decoded. Subsetting a face into a document decodes every glyph the
 * document uses (to find the parts of composite glyphs), again in each document: the costliest part of embedding it.
 * fontkit keeps each glyph object for the font's life and, for a face without variations (ours are static), only
 * reads what it decoded.
 */
function withDecodedGlyphsKept(parsed: fontkit.Font): fontkit.Font {
  const font = parsed as fontkit.Font & { _variationProcessor?: unknown };
  if (font._variationProcessor) return parsed;
  const getGlyph = parsed.getGlyph.bind(parsed);
  font.getGlyph = (id: number, codePoints?: number[]) => {
    const glyph = getGlyph(id, codePoints) as fontkit.Glyph & { _decode?: () => unknown };
    if (glyph && typeof glyph._decode === 'function' && !Object.hasOwn(glyph, '_decode')) {
      const decode = glyph._decode.bind(glyph);
      let decoded: { value: unknown } | undefined;
      glyph._decode = () => (decoded ??= { value: decode() }).value;
    }
    return glyph;
  };
  return parsed;
}

/**
 * An object read and written by key like a plain record (what pdfkit's font takes as its layout cache), holding at
 * most `max` keys: the oldest go first. Words that occur once (references, names) do not pile up.
 */
function boundedRecord(max: number): Record<string, unknown> {
  const entries = new Map<string, unknown>();
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_target, key) => (typeof key === 'string' ? entries.get(key) : undefined),
    set: (_target, key, value) => {
      if (typeof key !== 'string') return false;
      if (!entries.has(key) && entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, value);
      return true;
    },
  });
}

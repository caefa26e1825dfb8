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
  /** `parsed` with its text shaping remembered across documents (what pdfkit is given). */
  shared: fontkit.Font;
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
    const parsed = fontkit.create(bytes) as fontkit.Font;
    const covered = new Set<number>(parsed.characterSet);
    face = {
      family,
      weight,
      name: key,
      parsed,
      shared: withLayoutCache(parsed),
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
 * The font with `layout` (OpenType shaping, the costliest part of setting a letter) remembered by text and features,
 * so the words every letter repeats are shaped once per process. pdfkit scales the positions of a run in place,
 * so each call gets its own copy of them; glyphs are only read.
 */
function withLayoutCache(parsed: fontkit.Font): fontkit.Font {
  const cache = new Map<string, fontkit.GlyphRun>();
  const layout = (text: string, features?: unknown, ...rest: unknown[]) => {
    const key = `${features ? JSON.stringify(features) : ''}\u0000${text}`;
    let run = cache.get(key);
    if (!run) {
      run = (parsed.layout as (...args: unknown[]) => fontkit.GlyphRun)(text, features, ...rest);
      if (cache.size >= LAYOUT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(key, run);
    }
    const copy = Object.create(Object.getPrototypeOf(run) as object) as fontkit.GlyphRun;
    Object.assign(copy, run, { positions: run.positions.map((position) => ({ ...position })) });
    return copy;
  };
  return new Proxy(parsed, {
    get(target, property) {
      if (property === 'layout') return layout;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const SHARED_RUNS_LIMIT = 50_000;
const sharedRuns = new Map<string, { runs: Record<string, unknown>; documents: number }>();

/**
 * Has the document's font for `face` (just made current by `doc.font`) remember the words it sets in the face's runs
 * shared by every document, not in runs of its own: pdfkit shapes and scales each word once per document otherwise,
 * most of the cost of setting a letter. pdfkit reads a run and never changes it once made (it copies what it spaces
 * out), and a face's runs do not depend on the document. Every hundredth document, runs past the limit start again.
 */
export function shareRuns(doc: PDFKit.PDFDocument, face: LoadedFont): void {
  const current = (doc as unknown as { _font?: { layoutCache?: unknown } })._font;
  // A document set up without pdfkit's cache of runs keeps none.
  if (!current || typeof current.layoutCache !== 'object' || current.layoutCache === null) return;
  let shared = sharedRuns.get(face.name);
  if (shared && ++shared.documents % 100 === 0 && Object.keys(shared.runs).length > SHARED_RUNS_LIMIT)
    shared = undefined;
  if (!shared) {
    shared = { runs: Object.create(null) as Record<string, unknown>, documents: 0 };
    sharedRuns.set(face.name, shared);
  }
  current.layoutCache = shared.runs;
}

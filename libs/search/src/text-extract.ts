import { readFile } from 'node:fs/promises';
import { extractText, getDocumentProxy } from 'unpdf';

/** The most text kept of one file: enough for any letter or report, bounded for the index. */
export const MAX_EXTRACT_CHARS = 1_000_000;
const TEXT_TYPES = /^(text\/|application\/(json|xml|csv)$)/;
const TEXT_NAMES = /\.(txt|csv|md|eml|json|xml|html?)$/i;

function isPdf(content: Buffer, contentType: string, filename: string): boolean {
  return (
    content.subarray(0, 5).toString('latin1') === '%PDF-' ||
    contentType === 'application/pdf' ||
    /\.pdf$/i.test(filename)
  );
}

/**
 * The searchable text of a stored file: PDF text layers (unpdf, pdf.js) and plain-text files; null for anything
 * else (images, office documents) or a PDF that cannot be read (damaged, encrypted). Never throws: a file that
 * cannot be read is still stored, just not searchable by its content.
 */
export async function extractFileText(
  file: { path?: string; content?: Buffer },
  contentType: string,
  filename: string,
): Promise<string | null> {
  try {
    const content = file.content ?? (file.path ? await readFile(file.path) : null);
    if (!content || content.length === 0) return null;
    let text: string;
    if (isPdf(content, contentType, filename)) {
      const pdf = await getDocumentProxy(new Uint8Array(content));
      try {
        text = (await extractText(pdf, { mergePages: true })).text;
      } finally {
        await pdf.destroy();
      }
    } else if (TEXT_TYPES.test(contentType) || TEXT_NAMES.test(filename)) {
      text = new TextDecoder('utf-8', { fatal: false }).decode(content.subarray(0, MAX_EXTRACT_CHARS * 4));
    } else {
      return null;
    }
    // NUL cannot be stored in PostgreSQL text; other control characters are noise in a snippet.
    const cleaned = text
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ue000\ue001]/g, ' ')
      .slice(0, MAX_EXTRACT_CHARS)
      .trim();
    return cleaned || null;
  } catch {
    return null;
  }
}

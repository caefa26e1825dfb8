import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import PDFDocument from 'pdfkit';
import { documentWords, issueDate } from './labels.js';
import { familyFor, font, MissingGlyphsError, type FontFamily, type FontWeight } from './fonts.js';

/** What the authority prints at the head and foot of its letters (libs/documents letterheads). */
export interface LetterheadContent {
  name: string;
  /** Postal address, one line per line. */
  address: string | null;
  /** Printed before the case reference instead of the language's word ("Prot. n.", "Our ref."). */
  referenceLabel: string | null;
  signatoryName: string | null;
  signatoryTitle: string | null;
  /** PNG or JPEG bytes. */
  logo: Buffer | null;
}

export interface FormalLetter {
  locale: string;
  timeZone: string;
  /** The letter's subject: the document's title. */
  title: string;
  reference: string;
  issuedAt: Date;
  letterhead: LetterheadContent;
  /** The letter's text as its template rendered it: paragraphs apart by blank lines, "1. …" lines numbered items. */
  body: string;
  /** Where anyone holding the file can check it (the public verify page), printed in the footer. */
  verifyUrl: string | null;
  /**
   * The authority's electronic seal: the document gets a signature field and a placeholder for the CMS signature
   * (signed afterwards, see seal/pdf-seal.ts) and its footer names the holder. Without one the footer says the
   * document carries no seal.
   */
  seal?: SealPlaceholder | null;
  /**
   * A preview (never stored nor issued): the footer says so instead of the seal line, naming the holder of the seal
   * the letter sent will carry. A preview is never sealed.
   */
  preview?: { sealHolder: string | null } | null;
  /** Case documents enclosed with the letter, listed after the signature. */
  enclosures?: { name: string; sha256: string }[];
}

export interface SealPlaceholder {
  /** The certificate's holder, printed in the footer. */
  holder: string;
  reason: string;
  location: string | null;
  signingTime: Date;
  /** Bytes reserved for the CMS signature. */
  signatureLength: number;
}

/** A letter that cannot be set as a PDF (a character no font has, an image pdfkit cannot read). */
export class DocumentRenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocumentRenderError';
  }
}

const PAGE = { size: 'A4' as const, margin: 56 };
const BODY_SIZE = 10.5;
const NUMBER_INDENT = 22;

/**
 * A formal letter as an A4 PDF/A-2b file: letterhead (logo, name, address), reference and date line, the title,
 * the template's text (numbered questions hanging), the signatory, and a footer with the reference, the page and
 * the address to verify the document. Fonts are embedded as subsets; the text stays extractable (ToUnicode maps).
 */
export async function renderLetterPdf(letter: FormalLetter): Promise<Buffer> {
  let doc: PDFKit.PDFDocument;
  try {
    doc = new PDFDocument({
      size: PAGE.size,
      margins: { top: PAGE.margin, bottom: PAGE.margin + 24, left: PAGE.margin + 8, right: PAGE.margin + 8 },
      pdfVersion: '1.7',
      // No default font: not Helvetica (pdfkit's, parsed anew for every document and never embedded, so not PDF/A),
      // and not one of ours either: the first `use` opens each face once (a default font of the same name would have
      // pdfkit open the face a second time and compare the two, which costs more than setting a page of text).
      font: null as unknown as string,
      subset: 'PDF/A-2b',
      lang: letter.locale,
      displayTitle: true,
      bufferPages: true,
      autoFirstPage: true,
      info: {
        Title: letter.title,
        Author: letter.letterhead.name,
        Subject: letter.reference,
        Creator: 'Docket',
        Producer: 'Docket (pdfkit)',
        CreationDate: letter.issuedAt,
        ModDate: letter.issuedAt,
      },
    });
  } catch (error) {
    throw new DocumentRenderError(`the document could not be started: ${(error as Error).message}`, { cause: error });
  }
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const registered = new Set<string>();
  const use = (family: FontFamily, weight: FontWeight, size: number) => {
    const face = font(family, weight);
    if (!registered.has(face.name)) {
      // pdfkit takes a parsed fontkit font as well as bytes; it subsets per document all the same.
      doc.registerFont(face.name, face.parsed as unknown as Buffer);
      registered.add(face.name);
      // pdfkit shapes each word once per document and face, and keeps it (scaled to the face's units, so the same in
      // every document) in the font's layout cache, which it never changes once made: the face's, shared by all.
      (doc.font(face.name) as unknown as { _font: { layoutCache?: unknown } })._font.layoutCache = face.layouts;
    }
    doc.font(face.name).fontSize(size);
  };
  const write = (
    text: string,
    {
      weight = 'regular',
      size = BODY_SIZE,
      ...options
    }: { weight?: FontWeight; size?: number } & PDFKit.Mixins.TextOptions = {},
  ) => {
    use(familyFor(text, letter.locale), weight, size);
    doc.text(text, options);
  };

  const words = documentWords(letter.locale);
  const { letterhead } = letter;
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  // Letterhead: the logo on the left, the authority's name and address beside it.
  const top = doc.y;
  let textLeft = left;
  if (letterhead.logo) {
    try {
      doc.image(letterhead.logo, left, top, { fit: [110, 56] });
    } catch (error) {
      throw new DocumentRenderError(`the letterhead's logo could not be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    textLeft = left + 124;
  }
  doc.fillColor('#1d3557');
  doc.x = textLeft;
  doc.y = top;
  write(letterhead.name, { weight: 'bold', size: 14, width: width - (textLeft - left) });
  doc.fillColor('#444444');
  if (letterhead.address) write(letterhead.address, { size: 9, width: width - (textLeft - left) });
  doc.y = Math.max(doc.y, top + (letterhead.logo ? 60 : 0)) + 10;
  doc.x = left;
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .lineWidth(0.8)
    .strokeColor('#1d3557')
    .stroke();
  doc.moveDown(0.8);

  // Reference and date.
  doc.fillColor('#1a1a1a');
  const lineY = doc.y;
  write(`${letterhead.referenceLabel ?? words.reference} ${letter.reference}`, { size: 10, width: width / 2 });
  const afterReference = doc.y;
  doc.y = lineY;
  write(words.dateLine(issueDate(letter.issuedAt, letter.locale, letter.timeZone)), {
    size: 10,
    width,
    align: 'right',
  });
  doc.y = Math.max(doc.y, afterReference);
  doc.x = left;
  doc.moveDown(1.2);

  write(letter.title, { weight: 'bold', size: 12, width });
  doc.moveDown(0.8);

  // The template's text, paragraph by paragraph.
  for (const block of paragraphs(letter.body, letterhead.name, letter.reference)) {
    for (const line of block) {
      const numbered = /^(\d{1,3})\.\s+(.*)$/s.exec(line);
      if (numbered) {
        const y = doc.y;
        write(`${numbered[1]}.`, { width: NUMBER_INDENT, lineBreak: false });
        doc.y = y;
        doc.x = left + NUMBER_INDENT;
        write(numbered[2], { width: width - NUMBER_INDENT, align: 'left' });
        doc.x = left;
        doc.moveDown(0.3);
      } else {
        write(line, { width, align: 'left' });
      }
    }
    doc.moveDown(0.7);
  }

  // Signatory, as the authority set it on its letterhead.
  if (letterhead.signatoryName || letterhead.signatoryTitle) {
    doc.moveDown(0.8);
    if (letterhead.signatoryTitle) write(letterhead.signatoryTitle, { width, align: 'right' });
    if (letterhead.signatoryName) write(letterhead.signatoryName, { weight: 'bold', width, align: 'right' });
  }

  // Enclosures: the case documents that travel with the letter, by name and SHA-256 (what was enclosed stays
  // provable from the letter itself).
  if (letter.enclosures?.length) {
    doc.moveDown(1.2);
    write(words.enclosures, { weight: 'bold', width });
    letter.enclosures.forEach((enclosure, index) => {
      const y = doc.y;
      write(`${index + 1}.`, { size: 9, width: NUMBER_INDENT, lineBreak: false });
      doc.y = y;
      doc.x = left + NUMBER_INDENT;
      write(`${enclosure.name}\nSHA-256 ${enclosure.sha256}`, { size: 9, width: width - NUMBER_INDENT });
      doc.x = left;
      doc.moveDown(0.2);
    });
  }

  // Footer on every page.
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.height - doc.page.margins.bottom + 8;
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fillColor('#5a6470');
    const footer = [
      `${letter.reference} · ${words.page(index - range.start + 1, range.count)}`,
      letter.preview
        ? words.preview(letter.preview.sealHolder)
        : letter.seal
          ? words.sealed(letter.seal.holder)
          : words.unsigned,
      letter.verifyUrl ? `${words.verify} ${letter.verifyUrl}` : null,
    ]
      .filter(Boolean)
      .join('\n');
    doc.x = left;
    doc.y = bottom;
    write(footer, { size: 7.5, width, align: 'center', lineBreak: true });
    doc.page.margins.bottom = margin;
  }
  if (letter.seal) addSignaturePlaceholder(doc, letter.seal);
  doc.end();
  return ended;
}

/**
 * The signature dictionary and an invisible signature field on the last page (@signpdf/placeholder-pdfkit). PDF/A-2
 * wants every annotation printable (F 4); a zero-size field needs no appearance stream.
 */
function addSignaturePlaceholder(doc: PDFKit.PDFDocument, seal: SealPlaceholder): void {
  const pdf = doc as unknown as { ref: (data: Record<string, unknown>) => unknown };
  const ref = pdf.ref.bind(doc);
  pdf.ref = (data) => ref(data?.Type === 'Annot' ? { ...data, F: 4 } : data);
  try {
    pdfkitAddPlaceholder({
      pdf: doc,
      pdfBuffer: Buffer.alloc(0),
      reason: seal.reason,
      contactInfo: '',
      name: seal.holder,
      location: seal.location ?? '',
      signingTime: seal.signingTime,
      signatureLength: seal.signatureLength,
      subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
      appName: 'Docket',
    });
  } finally {
    pdf.ref = ref;
  }
}

/**
 * The body's paragraphs, each a list of lines. Left out: the layout's first line (the authority's name) and, in the
 * opening block, a line that only gives the case reference ("Rif.: …", "사건번호: …"), which the letterhead's
 * reference line prints already.
 */
export function paragraphs(body: string, authorityName: string, reference?: string): string[][] {
  const lines = body
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim()
    .split('\n');
  if (lines[0]?.trim() === authorityName.trim()) lines.shift();
  const blocks = lines
    .join('\n')
    .trim()
    .split(/\n{2,}/)
    .map((block) => block.split('\n').filter((line) => line.trim() !== ''))
    .filter((block) => block.length > 0);
  if (reference && blocks[0]) {
    const onlyReference = new RegExp(`^[^:：\\d]{1,24}[:：]\\s*${reference.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    blocks[0] = blocks[0].filter((line) => !onlyReference.test(line.trim()));
    if (blocks[0].length === 0) blocks.shift();
  }
  return blocks;
}

/**
 * Why a letter's text could not be set in the fonts Docket has (each line must be covered by one of them), or null.
 * Cheap: no PDF is made. Used where templates are saved, so a locale without a font is refused there.
 */
export function fontProblem(body: string, locale: string): string | null {
  for (const line of body.split('\n')) {
    try {
      familyFor(line, locale);
    } catch (error) {
      if (error instanceof MissingGlyphsError) return error.message;
      throw error;
    }
  }
  return null;
}

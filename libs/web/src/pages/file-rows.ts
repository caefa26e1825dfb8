import { t } from '#docket/i18n';

/** A file that came in (a reply's attachment, a response's): what the pages show of it. */
export interface IncomingFile {
  filename: string | null;
  contentType: string;
  size: number | string;
  sha256: string;
  scan?: { status: string; detail: string | null } | null;
}

/** Bytes as a person reads them. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What the malware scan said of a file, in the page's language (null for a file Docket made itself). */
export function scanText(scan: { status: string; detail: string | null } | null | undefined): string | null {
  if (!scan) return t('documents.notScanned');
  if (scan.status === 'infected') return t('documents.scanInfected', { detail: scan.detail ?? 'malware' });
  if (scan.status === 'clean') return t('documents.scanClean');
  if (scan.status === 'not_scanned') return t('documents.notScanned');
  return null;
}

/**
 * One incoming file as a row of a page: its name (a link to open it under the session when it may be opened: kept and
 * not quarantined), type, size, SHA-256 and scan.
 */
export function fileRow(file: IncomingFile, href: string | null) {
  return {
    filename: file.filename ?? t('documents.noName'),
    href,
    contentType: file.contentType,
    size: sizeText(Number(file.size)),
    sha256: file.sha256,
    scan: scanText(file.scan),
    quarantined: file.scan?.status === 'infected',
  };
}

/** `attachment` with the file's name, ASCII and UTF-8 (RFC 6266): a file that came in is downloaded, never shown. */
export function downloadDisposition(filename: string): string {
  return `attachment; filename="${filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

import { Conflict } from '#docket/platform';

/**
 * What Docket knows of a file's safety. `not_scanned`: no scanner is configured, or it could not be reached (the
 * reason says which) — never presented as clean. `infected`: the file is quarantined: kept as evidence, not served.
 */
export const SCAN_STATUSES = ['clean', 'infected', 'not_scanned'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export interface ScanVerdict {
  status: ScanStatus;
  /** The signature found (infected), or why the file was not scanned. */
  detail: string | null;
  /** The engine's version (clean or infected). */
  engine: string | null;
  scannedAt: string | null;
}

export const NO_SCANNER: ScanVerdict = {
  status: 'not_scanned',
  detail: 'no malware scanner is configured (CLAMD_URL)',
  engine: null,
  scannedAt: null,
};

/**
 * A quarantined file asked for: it is kept as evidence and never served (409, 'File quarantined'). `filename` null for
 * a file that came without a name.
 */
export class FileQuarantined extends Conflict {
  override readonly title = 'File quarantined';

  constructor(filename: string | null, finding: string | null) {
    const found = finding ?? 'malware';
    super(`${filename ?? 'This file'} contains ${found}; it is kept in quarantine as evidence and is not served.`);
    this.withMessage(filename ? 'problem.attachments.quarantined' : 'problem.inbound.quarantinedUnnamed', {
      filename: filename ?? '',
      finding: found,
    });
  }
}

/** clamd's answer to INSTREAM (`stream: OK`, `stream: Name FOUND`, `… ERROR`) as a verdict. */
export function verdictOf(
  result: { isInfected: boolean | null; viruses: string[] },
  engine: string,
  at: Date,
): ScanVerdict {
  if (result.isInfected === true)
    return { status: 'infected', detail: result.viruses.join(', ') || 'malware', engine, scannedAt: at.toISOString() };
  if (result.isInfected === false) return { status: 'clean', detail: null, engine, scannedAt: at.toISOString() };
  return { status: 'not_scanned', detail: 'the scanner gave no verdict', engine, scannedAt: null };
}

/** `tcp://host:port` or `unix:///path/to/clamd.ctl` as clamscan's connection settings. */
export function clamdAddress(url: string): { host?: string; port?: number; socket?: string } {
  const parsed = new URL(url);
  if (parsed.protocol === 'unix:') return { socket: decodeURIComponent(parsed.pathname) };
  if (parsed.protocol === 'tcp:' && parsed.hostname && parsed.port)
    return { host: parsed.hostname, port: Number(parsed.port) };
  throw new Error(`CLAMD_URL must be tcp://host:port or unix:///path, not ${url}`);
}

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { auditKeyId, signJson } from './hash-chain.js';

export const CHECKPOINT_FORMAT = 'docket-audit-checkpoint/1';

/**
 * The head of an authority's chain as it was at `writtenAt`, signed with the audit key: a chain that
 * no longer holds entry `seq` with this `hash` was cut short or rewritten.
 */
export interface AuditCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  authorityId: string;
  seq: string;
  hash: string;
  keyId: string;
  writtenAt: string;
  mac: string;
}

/** A checkpoint as found somewhere, or why it cannot be trusted. */
export interface FoundCheckpoint {
  source: string;
  checkpoint?: AuditCheckpoint;
  problem?: string;
}

export function signCheckpoint(
  key: Buffer,
  fields: { authorityId: string; seq: string; hash: string; writtenAt: Date },
): AuditCheckpoint {
  const body = {
    format: CHECKPOINT_FORMAT,
    authorityId: fields.authorityId,
    seq: fields.seq,
    hash: fields.hash,
    keyId: auditKeyId(key),
    writtenAt: fields.writtenAt.toISOString(),
  } as const;
  return { ...body, mac: signJson(key, body) };
}

/** Checks a parsed checkpoint (from a file, an export, a request) against the key; names what is wrong. */
export function examineCheckpoint(key: Buffer, value: unknown, source: string, authorityId?: string): FoundCheckpoint {
  const candidate = value as Partial<AuditCheckpoint> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    candidate.format !== CHECKPOINT_FORMAT ||
    typeof candidate.mac !== 'string' ||
    !/^\d+$/.test(String(candidate.seq)) ||
    typeof candidate.hash !== 'string'
  ) {
    return {
      source,
      problem: `the checkpoint in ${source} is not a Docket audit checkpoint: it was damaged or replaced`,
    };
  }
  if (authorityId && candidate.authorityId !== authorityId)
    return { source, problem: `the checkpoint in ${source} belongs to another authority's chain` };
  const { mac, ...body } = candidate;
  if (candidate.keyId !== auditKeyId(key)) {
    return {
      source,
      problem: `the checkpoint in ${source} was signed with another audit key (key id ${candidate.keyId}, AUDIT_KEY gives ${auditKeyId(key)}): set AUDIT_KEY to the key this installation was set up with, or the checkpoint was forged`,
    };
  }
  if (signJson(key, body) !== mac)
    return {
      source,
      problem: `the checkpoint in ${source} does not match its signature: it was changed after it was written`,
    };
  return { source, checkpoint: candidate as AuditCheckpoint };
}

/** Numbers this process's partial files: two writes of one checkpoint at once never share one. */
let partials = 0;

/** One signed checkpoint file per authority (`<authorityId>.json`) in a folder. */
export class CheckpointFolder {
  readonly dir: string;
  /** The folder made once (a mkdir per write was measurable at hundreds of passes a second). */
  private made: Promise<unknown> | null = null;

  constructor(
    dir: string,
    readonly label: string,
  ) {
    this.dir = resolve(dir);
  }

  path(authorityId: string): string {
    return join(this.dir, `${authorityId}.json`);
  }

  read(key: Buffer, authorityId: string): FoundCheckpoint | null {
    const path = this.path(authorityId);
    if (!existsSync(path)) return null;
    const source = `${this.label} (${path})`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return { source, problem: `the checkpoint ${path} cannot be read as JSON: it was damaged or changed` };
    }
    return examineCheckpoint(key, parsed, source, authorityId);
  }

  /**
   * Replaces the authority's file atomically (a reader sees the old checkpoint or the new one); without blocking the
   * process's other work meanwhile.
   */
  async write(checkpoint: AuditCheckpoint): Promise<string> {
    const path = this.path(checkpoint.authorityId);
    const partial = `${path}.partial-${process.pid}-${(partials += 1)}`;
    const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
    await this.folder();
    await writeFile(partial, text, { mode: 0o600 }).catch(async (error: unknown) => {
      // Removed since it was made: made again.
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      this.made = null;
      await this.folder();
      await writeFile(partial, text, { mode: 0o600 });
    });
    await rename(partial, path);
    return path;
  }

  private folder(): Promise<unknown> {
    this.made ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      this.made = null;
      throw error;
    });
    return this.made;
  }
}

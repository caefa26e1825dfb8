import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, type ReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Issued documents on disk, content-addressed: `<DOCKET_DATA_DIR>/documents/<sha256>.pdf`, one file per content
 * whoever issued it. A file is written under a temporary name and renamed into place, so a reader never sees half a
 * document; a file written by a transaction that then rolled back is an orphan nothing points to, never a wrong file.
 */
export class DocumentStore {
  readonly root: string;

  constructor(readonly dataDir: string) {
    this.root = resolve(dataDir, 'documents');
  }

  static sha256(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /** The path relative to the data folder (what an outgoing mail's attachment records). */
  relativePath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a document address');
    return join('documents', `${sha256}.pdf`);
  }

  pathOf(sha256: string): string {
    return join(this.dataDir, this.relativePath(sha256));
  }

  async put(bytes: Buffer): Promise<{ sha256: string; size: number; path: string }> {
    const sha256 = DocumentStore.sha256(bytes);
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      mkdirSync(this.root, { recursive: true });
      const temporary = join(this.root, `.${randomUUID()}.tmp`);
      try {
        await writeFile(temporary, bytes, { mode: 0o640 });
        await rename(temporary, path);
      } finally {
        await rm(temporary, { force: true });
      }
    }
    return { sha256, size: bytes.length, path };
  }

  open(sha256: string): ReadStream | null {
    const path = this.pathOf(sha256);
    return existsSync(path) ? createReadStream(path) : null;
  }
}

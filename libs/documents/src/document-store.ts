import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, type ReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Documents on disk, content-addressed: `<DOCKET_DATA_DIR>/documents/<sha256>.pdf` (a PDF), `…/<sha256>` (any other
 * file staff added to a case), one file per content whoever issued or added it. A file is written under a temporary
 * name and renamed into place, so a reader never sees half a document; a file written by a transaction that then
 * rolled back is an orphan nothing points to, never a wrong file.
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
  relativePath(sha256: string, mediaType = 'application/pdf'): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a document address');
    return join('documents', mediaType === 'application/pdf' ? `${sha256}.pdf` : sha256);
  }

  pathOf(sha256: string, mediaType?: string): string {
    return join(this.dataDir, this.relativePath(sha256, mediaType));
  }

  async put(bytes: Buffer, mediaType?: string): Promise<{ sha256: string; size: number; path: string }> {
    const sha256 = DocumentStore.sha256(bytes);
    const path = this.pathOf(sha256, mediaType);
    if (!existsSync(path)) {
      const temporary = join(this.root, `.${randomUUID()}.tmp`);
      try {
        await writeFile(temporary, bytes, { mode: 0o640 }).catch((error: NodeJS.ErrnoException) => {
          // The folder is made by the first document (and again should it be gone).
          if (error.code !== 'ENOENT') throw error;
          mkdirSync(this.root, { recursive: true });
          return writeFile(temporary, bytes, { mode: 0o640 });
        });
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    }
    return { sha256, size: bytes.length, path };
  }

  has(sha256: string, mediaType?: string): boolean {
    return existsSync(this.pathOf(sha256, mediaType));
  }

  open(sha256: string, mediaType?: string): ReadStream | null {
    const path = this.pathOf(sha256, mediaType);
    return existsSync(path) ? createReadStream(path) : null;
  }
}

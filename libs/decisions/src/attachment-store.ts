import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, type ReadStream } from 'node:fs';
import { copyFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';

/** What the upload storage hands the route: a file written to the incoming folder, hashed on the way. */
export interface UploadedFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  path: string;
  size: number;
  sha256: string;
}

interface MulterPart {
  fieldname: string;
  originalname: string;
  mimetype: string;
  stream: Readable;
}

/**
 * Content-addressed files under `<DOCKET_DATA_DIR>/attachments/<authority id>/<sha256>`. Uploads are
 * streamed to `attachments/.incoming` while their SHA-256 is computed (one pass, never all in memory),
 * then moved into place; the same content sent twice is stored once per authority.
 */
export class AttachmentStore {
  readonly root: string;
  readonly incoming: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'attachments');
    this.incoming = join(this.root, '.incoming');
  }

  pathOf(authorityId: string, sha256: string): string {
    if (!/^[0-9a-f-]{36}$/.test(authorityId) || !/^[0-9a-f]{64}$/.test(sha256))
      throw new Error('not an attachment address');
    return join(this.root, authorityId, sha256);
  }

  /** Moves an upload into its place; the upload is gone afterwards either way. */
  async keep(file: UploadedFile, authorityId: string): Promise<string> {
    const target = this.pathOf(authorityId, file.sha256);
    mkdirSync(join(this.root, authorityId), { recursive: true });
    if (existsSync(target) && (await stat(target)).size === file.size) {
      await this.discard(file);
    } else {
      await rename(file.path, target);
    }
    return target;
  }

  /** Copies a file kept elsewhere (the inbound store) into its place, unless the same content is there already. */
  async copyIn(source: string, authorityId: string, sha256: string): Promise<string> {
    const target = this.pathOf(authorityId, sha256);
    mkdirSync(join(this.root, authorityId), { recursive: true });
    if (!existsSync(target)) {
      const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
      await copyFile(source, temporary);
      await rename(temporary, target);
    }
    return target;
  }

  async discard(file: Pick<UploadedFile, 'path'> | undefined): Promise<void> {
    if (file?.path) await rm(file.path, { force: true });
  }

  open(authorityId: string, sha256: string): ReadStream | null {
    const path = this.pathOf(authorityId, sha256);
    return existsSync(path) ? createReadStream(path) : null;
  }

  /** A multer storage engine writing into the incoming folder. */
  multerStorage() {
    return {
      _handleFile: (
        _req: Request,
        part: MulterPart,
        callback: (error: Error | null, info?: Partial<UploadedFile>) => void,
      ) => {
        mkdirSync(this.incoming, { recursive: true });
        const path = join(this.incoming, randomUUID());
        const hash = createHash('sha256');
        let size = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            hash.update(chunk);
            done(null, chunk);
          },
        });
        pipeline(part.stream, counter, createWriteStream(path)).then(
          () => callback(null, { path, size, sha256: hash.digest('hex') }),
          (error: Error) => rm(path, { force: true }).finally(() => callback(error)),
        );
      },
      _removeFile: (_req: Request, file: { path?: string }, callback: (error: Error | null) => void) => {
        if (!file.path) return callback(null);
        rm(file.path, { force: true }).then(() => callback(null), callback);
      },
    };
  }
}

import { randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { CasesService } from '#docket/cases';
import { SearchService } from '#docket/search';
import {
  Clock,
  NotFound,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type Runtime,
} from '#docket/platform';
import { FileQuarantined, MalwareScanner, QuarantineNotice, type ScanVerdict } from '#docket/scanning';
import { Attachment } from './attachment.entity.js';
import { AttachmentStore, type UploadedFile } from './attachment-store.js';
import { AttachmentRepository } from './decisions.repository.js';
import type { AttachmentView } from './dto.js';
import { ResponsesService } from './responses.service.js';
import { attachmentView } from './views.js';

/** A file name safe to keep and to send back in Content-Disposition: no folders, no control characters. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 255);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'attachment';
}

/** A declared media type if it looks like one, else application/octet-stream. */
export function cleanContentType(type: string | undefined): string {
  const value = (type ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(value)
    ? value
    : 'application/octet-stream';
}

@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);
  readonly store: AttachmentStore;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly attachments: AttachmentRepository,
    private readonly responses: ResponsesService,
    private readonly cases: CasesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly search: SearchService,
    private readonly scanner: MalwareScanner,
    private readonly quarantine: QuarantineNotice,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.store = new AttachmentStore(runtime.config.DOCKET_DATA_DIR);
  }

  /**
   * Keeps an uploaded file with its response. The file is moved into the content-addressed store before
   * the row is written: a failed transaction can leave a file without a row (harmless, and reused when
   * the same content comes again), never a row without its file.
   */
  async add(responseId: string, file: UploadedFile | undefined): Promise<AttachmentView> {
    try {
      if (!file)
        throw new ValidationProblem([
          {
            field: 'file',
            message: 'send the file as multipart/form-data in a field named "file"',
            key: 'attachments.refusal.noFile',
          },
        ]);
      if (file.size === 0)
        throw new ValidationProblem([
          {
            field: 'file',
            message: `${cleanFilename(file.originalname)} is empty; an attachment needs content`,
            key: 'attachments.refusal.empty',
            params: { filename: cleanFilename(file.originalname) },
          },
        ]);
      const response = await this.responses.require(responseId);
      const authorityId = RequestContext.authorityId();
      const verdict = await this.scanner.scan(() => createReadStream(file.path));
      // Its text is extracted once, before the transaction (a PDF can take a while), and indexed with the row.
      const text = await this.search.extract(
        file.sha256,
        { path: file.path },
        cleanContentType(file.mimetype),
        cleanFilename(file.originalname),
      );
      return await this.unitOfWork.run(async () => {
        await this.cases.getForUpdate(response.caseId);
        await this.cases.requireOpenCase(response.caseId);
        await this.store.keep(file, authorityId);
        const attachment = Object.assign(new Attachment(), {
          id: randomUUID(),
          caseId: response.caseId,
          responseId: response.id,
          filename: cleanFilename(file.originalname),
          contentType: cleanContentType(file.mimetype),
          size: String(file.size),
          sha256: file.sha256,
          ...scanColumns(verdict),
          createdBy: RequestContext.actor().label,
          createdAt: this.clock.now(),
        });
        // A quarantined file's text is not indexed: search must not serve what cannot be downloaded.
        await this.search.storeExtract(file.sha256, verdict.status === 'infected' ? null : text);
        await this.attachments.insert(attachment);
        await this.audit.record({
          action: 'attachment.added',
          entityType: 'attachment',
          entityId: attachment.id,
          caseId: attachment.caseId,
          after: {
            responseId: response.id,
            filename: attachment.filename,
            contentType: attachment.contentType,
            size: file.size,
            sha256: file.sha256,
            scan: verdict.status,
          },
        });
        if (verdict.status === 'infected') await this.quarantined(attachment, verdict);
        return attachmentView(attachment);
      });
    } finally {
      await this.store.discard(file);
    }
  }

  /** The attachment of the caller's authority with its content; 404 otherwise. */
  async open(id: string): Promise<{ attachment: Attachment; content: ReadStream }> {
    const attachment = await this.attachments.findOne({ id });
    if (!attachment)
      throw new NotFound(`There is no attachment ${id} in your authority.`).withMessage(
        'problem.attachments.notFound',
        { id },
      );
    if (attachment.scanStatus === 'infected') throw new FileQuarantined(attachment.filename, attachment.scanDetail);
    const content = this.store.open(attachment.authorityId, attachment.sha256);
    if (!content) {
      this.logger.error(`attachment ${id}: file ${attachment.sha256} is missing from the store`);
      throw new NotFound(
        `The file of attachment ${id} is missing from the store; ask an administrator to restore it from backup.`,
      ).withMessage('problem.attachments.missingFile', { id });
    }
    return { attachment, content };
  }

  /**
   * Files that came with an e-mailed reply, carried into the response it was confirmed as: each kept in this store
   * (copied from the inbound store), with the verdict it was scanned with on arrival. In the caller's transaction
   * when there is one.
   */
  async adopt(
    response: { id: string; caseId: string },
    files: { filename: string; contentType: string; size: number; sha256: string; path: string; scan: ScanVerdict }[],
  ): Promise<void> {
    return this.unitOfWork.run(async () => {
      const authorityId = RequestContext.authorityId();
      for (const file of files) {
        await this.store.copyIn(file.path, authorityId, file.sha256);
        const attachment = Object.assign(new Attachment(), {
          id: randomUUID(),
          caseId: response.caseId,
          responseId: response.id,
          filename: cleanFilename(file.filename),
          contentType: cleanContentType(file.contentType),
          size: String(file.size),
          sha256: file.sha256,
          ...scanColumns(file.scan),
          createdBy: RequestContext.actor().label,
          createdAt: this.clock.now(),
        });
        await this.attachments.insert(attachment);
        await this.audit.record({
          action: 'attachment.added',
          entityType: 'attachment',
          entityId: attachment.id,
          caseId: attachment.caseId,
          after: {
            responseId: response.id,
            filename: attachment.filename,
            contentType: attachment.contentType,
            size: file.size,
            sha256: file.sha256,
            scan: file.scan.status,
            from: 'e-mail reply',
          },
        });
      }
    });
  }

  private async quarantined(attachment: Attachment, verdict: ScanVerdict): Promise<void> {
    await this.audit.record({
      action: 'attachment.quarantined',
      entityType: 'attachment',
      entityId: attachment.id,
      caseId: attachment.caseId,
      after: { filename: attachment.filename, sha256: attachment.sha256, signature: verdict.detail },
    });
    await this.quarantine.send({
      authorityId: RequestContext.authorityId(),
      caseId: attachment.caseId,
      filename: attachment.filename,
      sha256: attachment.sha256,
      signature: verdict.detail ?? 'malware',
      path: `/cases/${attachment.caseId}`,
    });
  }
}

/** The attachment's scan columns from a verdict. */
export function scanColumns(verdict: ScanVerdict): Pick<Attachment, 'scanStatus' | 'scanDetail' | 'scannedAt'> {
  return {
    scanStatus: verdict.status,
    scanDetail: verdict.detail,
    scannedAt: verdict.scannedAt ? new Date(verdict.scannedAt) : null,
  };
}

import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '#docket/audit';
import { Authority } from '#docket/identity';
import { RequestContext, RUNTIME, ValidationProblem, type Runtime } from '#docket/platform';
import { DocketDocument, type DocumentKind } from './document.entity.js';
import { DocumentStore } from './document-store.js';
import { Letterhead } from './letterhead.entity.js';
import { DocumentRenderError, renderLetterPdf, type LetterheadContent } from './pdf/letter-pdf.js';
import { MissingGlyphsError } from './pdf/fonts.js';
import { checkPdfSignature, signPdf } from './seal/pdf-seal.js';
import { sealPlaceholder, SealsService, type SealKey } from './seal/seals.service.js';

export interface IssueRequest {
  authorityId: string;
  caseId: string;
  kind: DocumentKind;
  /** One document per business event: `inquiry.<id>`, `chaser.<reminder id>`, `outcome.<id>`. */
  issueKey: string;
  locale: string;
  /** The letter's subject. */
  title: string;
  reference: string;
  issuedAt: Date;
  /** The letter's text as its template rendered it. */
  body: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** Relative to the data folder. */
  path: string;
}

export interface VerifyResult {
  issued: boolean;
  reference?: string;
  issuedAt?: string;
  signed?: boolean;
  signatureValid?: boolean;
}

/** Formal documents: rendered from a letter's text on the authority's letterhead, stored once, verifiable. */
@Injectable()
export class DocumentsService {
  readonly store: DocumentStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly seals: SealsService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    this.store = new DocumentStore(runtime.config.DOCKET_DATA_DIR);
  }

  get verifyUrl(): string {
    return `${this.runtime.config.PUBLIC_URL}/verify`;
  }

  /** The letterhead printed on an authority's documents now: its newest version, else its name alone. */
  async currentLetterhead(
    authorityId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ version: number | null; content: LetterheadContent; timeZone: string }> {
    const authority = await manager.findOneOrFail(Authority, { where: { id: authorityId } });
    const saved = await manager.findOne(Letterhead, { where: { authorityId }, order: { version: 'DESC' } });
    return {
      version: saved?.version ?? null,
      timeZone: authority.timezone,
      content: saved
        ? {
            name: saved.name,
            address: saved.address,
            referenceLabel: saved.referenceLabel,
            signatoryName: saved.signatoryName,
            signatoryTitle: saved.signatoryTitle,
            logo: saved.logo,
          }
        : {
            name: authority.name,
            address: null,
            referenceLabel: null,
            signatoryName: null,
            signatoryTitle: null,
            logo: null,
          },
    };
  }

  /**
   * Renders and stores the document of a letter in the caller's transaction, once per issue key (a second call
   * returns the first document). The file is written before the row; the audit trail records its SHA-256.
   * A letter that cannot be set as a PDF is a 400 (ValidationProblem) naming what is wrong.
   */
  async issue(manager: EntityManager, request: IssueRequest): Promise<DocketDocument> {
    const existing = await manager.findOne(DocketDocument, { where: { issueKey: request.issueKey } });
    if (existing) return existing;
    const letterhead = await this.currentLetterhead(request.authorityId, manager);
    const seal = await this.seals.keyFor(request.authorityId, manager);
    const bytes = await this.render(request, letterhead.content, letterhead.timeZone, seal);
    const { sha256, size } = await this.store.put(bytes);
    const values = {
      authorityId: request.authorityId,
      caseId: request.caseId,
      kind: request.kind,
      title: request.title.slice(0, 500),
      locale: request.locale,
      sha256,
      size,
      mediaType: 'application/pdf',
      filename: `${request.reference}-${request.kind.replace(/_/g, '-')}-${sha256.slice(0, 8)}.pdf`,
      reference: request.reference,
      issueKey: request.issueKey,
      issued: true,
      signed: seal !== null,
      letterheadVersion: letterhead.version,
      createdBy: RequestContext.actor().label,
      createdAt: request.issuedAt,
    };
    const inserted = (await manager
      .createQueryBuilder()
      .insert()
      .into(DocketDocument)
      .values(values)
      .orIgnore()
      .returning('id')
      .execute()) as { raw: { id: string }[] };
    if (inserted.raw.length === 0)
      return manager.findOneOrFail(DocketDocument, { where: { issueKey: request.issueKey } });
    const document = manager.create(DocketDocument, { ...values, id: inserted.raw[0].id });
    await this.audit.record(manager, {
      authorityId: request.authorityId,
      action: 'document.issued',
      entityType: 'document',
      entityId: document.id,
      caseId: request.caseId,
      after: {
        kind: request.kind,
        title: document.title,
        sha256,
        size,
        issueKey: request.issueKey,
        signed: seal !== null,
        ...(seal ? { sealFingerprint: seal.fingerprint } : {}),
      },
    });
    return document;
  }

  /** The PDF of a letter, not stored (previews, checks at configuration time); sealed when a seal key is given. */
  async render(
    request: Pick<IssueRequest, 'locale' | 'title' | 'reference' | 'issuedAt' | 'body'>,
    letterhead: LetterheadContent,
    timeZone: string,
    seal: SealKey | null = null,
    preview: { sealHolder: string | null } | null = null,
  ): Promise<Buffer> {
    let unsigned: Buffer;
    try {
      unsigned = await renderLetterPdf({
        locale: request.locale,
        timeZone,
        title: request.title,
        reference: request.reference,
        issuedAt: request.issuedAt,
        letterhead,
        body: request.body,
        verifyUrl: this.verifyUrl,
        seal: seal ? sealPlaceholder(seal.holder, request.reference, request.issuedAt) : null,
        preview,
      });
    } catch (error) {
      if (error instanceof DocumentRenderError || error instanceof MissingGlyphsError)
        throw new ValidationProblem(
          [{ field: 'document', message: error.message }],
          `The letter cannot be set as a PDF document: ${error.message}`,
        );
      throw error;
    }
    return seal ? signPdf(unsigned, seal.opened, request.issuedAt) : unsigned;
  }

  /**
   * The PDF a letter will be sent as, for staff to look at before sending: set like the letter sent (the letterhead
   * now, the letter's language and fonts), but never sealed, stored or recorded; its footer says it is a preview
   * and whose seal the letter sent will carry.
   */
  async preview(
    authorityId: string,
    request: Pick<IssueRequest, 'locale' | 'title' | 'reference' | 'issuedAt' | 'body'>,
  ): Promise<Buffer> {
    const letterhead = await this.currentLetterhead(authorityId);
    const sealHolder = await this.seals.holderFor(authorityId);
    return this.render(request, letterhead.content, letterhead.timeZone, null, { sealHolder });
  }

  /** The authority's seal key now (null: its documents are unsigned). */
  sealKey(authorityId: string, manager?: EntityManager): Promise<SealKey | null> {
    return this.seals.keyFor(authorityId, manager);
  }

  attachmentOf(document: DocketDocument): MailAttachment {
    return {
      filename: document.filename,
      contentType: document.mediaType,
      path: this.store.relativePath(document.sha256),
    };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<DocketDocument> {
    const document = /^[0-9a-f-]{36}$/i.test(id)
      ? await manager.findOne(DocketDocument, { where: { id, authorityId: RequestContext.authorityId() } })
      : null;
    if (!document) throw new NotFoundException(`There is no document ${id} in your authority.`);
    return document;
  }

  forCase(caseId: string, manager: EntityManager = this.dataSource.manager): Promise<DocketDocument[]> {
    return manager.find(DocketDocument, {
      where: { caseId, authorityId: RequestContext.authorityId() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /**
   * Whether Docket issued exactly these bytes. Answers an anonymous caller only the case reference and the date
   * printed on the document it holds, and whether it is sealed; nothing about other documents or the case.
   */
  async verify(bytes: Buffer): Promise<VerifyResult> {
    const sha256 = DocumentStore.sha256(bytes);
    const document = await this.dataSource.getRepository(DocketDocument).findOne({
      where: { sha256, issued: true },
      order: { createdAt: 'ASC' },
    });
    // The seal is checked from the file itself (the CMS signature over its ByteRange), issued or not: it tells
    // nothing about Docket's records, and says whether a changed copy still carries a valid signature.
    const signature = checkPdfSignature(bytes);
    const seal = signature.signed ? { signed: true, signatureValid: signature.valid } : { signed: false };
    if (!document) return signature.signed ? { issued: false, ...seal } : { issued: false };
    return { issued: true, reference: document.reference, issuedAt: document.createdAt.toISOString(), ...seal };
  }
}

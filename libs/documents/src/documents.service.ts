import { randomUUID } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '#docket/audit';
import { CasesService } from '#docket/cases';
import { IdentityService } from '#docket/identity';
import {
  Clock,
  groupBy,
  NotFound,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type FieldError,
  type Runtime,
} from '#docket/platform';
import { FileQuarantined, MalwareScanner, QuarantineNotice } from '#docket/scanning';
import { DocketDocument, type DocumentKind } from './document.entity.js';
import { DocumentStore } from './document-store.js';
import { DocumentRepository } from './document.repository.js';
import { LetterheadRepository } from './letterhead.repository.js';
import { DocumentRenderError, renderLetterPdf, type LetterheadContent } from './pdf/letter-pdf.js';
import { MissingGlyphsError } from './pdf/fonts.js';
import { checkPdfSignature, signPdf } from './seal/pdf-seal.js';
import { sealPlaceholder, SealsService, type SealKey } from './seal/seals.service.js';
import { enclosureOf, type Enclosure } from './views.js';

/** The largest file staff add to a case (an annex travels by e-mail: mail servers refuse much more). */
export const CASE_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** At most this many case documents travel with one letter, and at most this many bytes together. */
export const ENCLOSURES_MAX = 10;
export const ENCLOSURES_MAX_BYTES = 20 * 1024 * 1024;

export interface CaseFileUpload {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
}

/** A file name safe to store and to send: no path, no control characters, at most 200 characters. */
function cleanFilename(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  const cleaned = base.slice(-200);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'document';
}

function cleanMediaType(type: string | undefined): string {
  const value = (type ?? '').toLowerCase().split(';')[0].trim();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(value) ? value : 'application/octet-stream';
}

export interface IssueRequest {
  authorityId: string;
  caseId: string;
  kind: DocumentKind;
  /** One document per business event: `inquiry.<id>`, `chaser.<reminder id>`, `outcome.<id>`. */
  issueKey: string;
  /**
   * The issue key was made for this document a moment ago (the id of a row the caller is inserting): no document can
   * have it yet, so none is looked for before rendering.
   */
  newIssueKey?: boolean;
  locale: string;
  /** The letter's subject. */
  title: string;
  reference: string;
  issuedAt: Date;
  /** The letter's text as its template rendered it. */
  body: string;
  /** Case documents enclosed with the letter (see enclosuresFor): listed in the PDF after the signature. */
  enclosures?: Enclosure[];
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
    private readonly documents: DocumentRepository,
    private readonly letterheads: LetterheadRepository,
    private readonly audit: AuditService,
    private readonly identity: IdentityService,
    private readonly seals: SealsService,
    private readonly cases: CasesService,
    private readonly scanner: MalwareScanner,
    private readonly quarantine: QuarantineNotice,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
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
  ): Promise<{ version: number | null; content: LetterheadContent; timeZone: string }> {
    const authority = await this.identity.requireAuthority(authorityId);
    const saved = await RequestContext.actingFor(authorityId, () => this.letterheads.newest());
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
   * Renders and stores the document of a letter in the caller's transaction (joined, or its own outside one), once
   * per issue key (a second call returns the first document). The file is written before the row; the audit trail
   * records its SHA-256. A letter that cannot be set as a PDF is a 400 (ValidationProblem) naming what is wrong.
   */
  async issue(request: IssueRequest): Promise<DocketDocument> {
    const issued = (await this.issueMany([request])).get(request.issueKey);
    if (issued instanceof ValidationProblem) throw issued;
    return issued as DocketDocument;
  }

  /**
   * `issue` for several letters at once (the chasers of a batch of reminders), in one unit of work: the documents
   * already issued under their keys are read with one query, each authority's letterhead and seal once, and the new
   * documents are stored with one statement. A letter that cannot be set as a PDF gets its ValidationProblem in place
   * of a document; the others are issued all the same. By issue key.
   */
  issueMany(requests: IssueRequest[]): Promise<Map<string, DocketDocument | ValidationProblem>> {
    return this.unitOfWork.run(async () => {
      const issued = new Map<string, DocketDocument | ValidationProblem>();
      for (const [authorityId, group] of groupBy(requests, (request) => request.authorityId))
        await RequestContext.actingFor(authorityId, () => this.issueFor(authorityId, group, issued));
      return issued;
    });
  }

  /** `issueMany` for one authority's letters, acting for it. */
  private async issueFor(
    authorityId: string,
    requests: IssueRequest[],
    issued: Map<string, DocketDocument | ValidationProblem>,
  ): Promise<void> {
    const lookedFor = requests.filter((request) => !request.newIssueKey).map((request) => request.issueKey);
    const existing = await this.documents.byIssueKeys([...new Set(lookedFor)]);
    const fresh = new Map<string, IssueRequest>();
    for (const request of requests) {
      const document = existing.get(request.issueKey);
      if (document) issued.set(request.issueKey, document);
      else if (!fresh.has(request.issueKey)) fresh.set(request.issueKey, request);
    }
    if (!fresh.size) return;
    // Once for all the letters of a campaign's batch (RequestContext.readOnce).
    const letterhead = await RequestContext.readOnce(`letterhead:${authorityId}`, () =>
      this.currentLetterhead(authorityId),
    );
    const seal = await RequestContext.readOnce(`seal-key:${authorityId}`, () => this.seals.keyFor(authorityId));
    const rendered: { request: IssueRequest; values: Omit<Partial<DocketDocument>, 'authorityId'> }[] = [];
    for (const request of fresh.values()) {
      let bytes: Buffer;
      try {
        bytes = await this.render(request, letterhead.content, letterhead.timeZone, seal);
      } catch (error) {
        if (!(error instanceof ValidationProblem)) throw error;
        issued.set(request.issueKey, error);
        continue;
      }
      const { sha256, size } = await this.store.put(bytes);
      rendered.push({
        request,
        values: {
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
        },
      });
    }
    const ids = await this.documents.insertOnce(rendered.map(({ values }) => values));
    // Issued meanwhile by another call: its document is the one.
    const first = await this.documents.byIssueKeys(
      rendered.map(({ request }) => request.issueKey).filter((issueKey) => !ids.has(issueKey)),
    );
    for (const { request, values } of rendered) {
      const id = ids.get(request.issueKey);
      if (id === undefined) {
        const document = first.get(request.issueKey);
        if (!document) throw new Error(`Document ${request.issueKey} is neither stored nor storable`);
        issued.set(request.issueKey, document);
        continue;
      }
      const document = this.documents.build({ ...values, id });
      await this.audit.record({
        authorityId: request.authorityId,
        action: 'document.issued',
        entityType: 'document',
        entityId: document.id,
        caseId: request.caseId,
        after: {
          kind: request.kind,
          title: document.title,
          sha256: document.sha256,
          size: document.size,
          issueKey: request.issueKey,
          signed: seal !== null,
          ...(seal ? { sealFingerprint: seal.fingerprint } : {}),
          ...(request.enclosures?.length
            ? {
                enclosures: request.enclosures.map((enclosure) => ({
                  documentId: enclosure.documentId,
                  filename: enclosure.filename,
                  sha256: enclosure.sha256,
                })),
              }
            : {}),
        },
      });
      issued.set(request.issueKey, document);
    }
  }

  /** The PDF of a letter, not stored (previews, checks at configuration time); sealed when a seal key is given. */
  async render(
    request: Pick<IssueRequest, 'locale' | 'title' | 'reference' | 'issuedAt' | 'body' | 'enclosures'>,
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
        enclosures: (request.enclosures ?? []).map((enclosure) => ({
          name:
            enclosure.title === enclosure.filename ? enclosure.filename : `${enclosure.title} (${enclosure.filename})`,
          sha256: enclosure.sha256,
        })),
      });
    } catch (error) {
      if (error instanceof DocumentRenderError || error instanceof MissingGlyphsError)
        throw new ValidationProblem(
          [
            {
              field: 'document',
              message: error.message,
              key: 'templates.refusal.fonts',
              params: { problem: error.message },
            },
          ],
          `The letter cannot be set as a PDF document: ${error.message}`,
        ).withMessage('documents.refusal.cannotSetDetail', { problem: error.message });
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
    request: Pick<IssueRequest, 'locale' | 'title' | 'reference' | 'issuedAt' | 'body' | 'enclosures'>,
  ): Promise<Buffer> {
    const letterhead = await this.currentLetterhead(authorityId);
    const sealHolder = await this.seals.holderFor(authorityId);
    return this.render(request, letterhead.content, letterhead.timeZone, null, { sealHolder });
  }

  /** The authority's seal key now (null: its documents are unsigned). */
  sealKey(authorityId: string): Promise<SealKey | null> {
    return this.seals.keyFor(authorityId);
  }

  attachmentOf(document: Pick<DocketDocument, 'filename' | 'mediaType' | 'sha256'>): MailAttachment {
    return {
      filename: document.filename,
      contentType: document.mediaType,
      path: this.store.relativePath(document.sha256, document.mediaType),
    };
  }

  /**
   * The case documents staff chose to enclose with a letter of the case, read in the letter's transaction (if any; a
   * form's preview checks what it would enclose outside one): each must
   * be a document of this case in the caller's authority (another's is unknown), at most ENCLOSURES_MAX of them and
   * ENCLOSURES_MAX_BYTES together, none quarantined. A 400 naming `attachmentIds` otherwise, before anything is sent.
   */
  async enclosuresFor(caseId: string, ids: readonly string[] | undefined): Promise<Enclosure[]> {
    if (!ids?.length) return [];
    const refuse = (message: string, key: string, params?: FieldError['params']) =>
      new ValidationProblem([{ field: 'attachmentIds', message, key, params }], 'The letter was not sent.').withMessage(
        'documents.refusal.letterNotSent',
      );
    const unique = [...new Set(ids)];
    if (unique.length !== ids.length) throw refuse('a document is listed twice', 'documents.refusal.listedTwice');
    if (unique.length > ENCLOSURES_MAX)
      throw refuse(`at most ${ENCLOSURES_MAX} documents travel with one letter`, 'documents.refusal.tooMany', {
        max: ENCLOSURES_MAX,
      });
    const malformed = unique.find((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
    if (malformed) throw refuse(`${malformed} is not a document id`, 'documents.refusal.notInCase', { id: malformed });
    const found = await this.documents.inCase(caseId, unique);
    const byId = new Map(found.map((document) => [document.id, document]));
    const missing = unique.find((id) => !byId.has(id));
    if (missing)
      throw refuse(`there is no document ${missing} in this case`, 'documents.refusal.notInCase', { id: missing });
    const documents = unique.map((id) => byId.get(id)!);
    const infected = documents.find((document) => document.scanStatus === 'infected');
    if (infected)
      throw refuse(
        `${infected.filename} is quarantined (${infected.scanDetail ?? 'malware'}) and cannot be sent`,
        'documents.refusal.quarantined',
        { filename: infected.filename, finding: infected.scanDetail ?? 'malware' },
      );
    const total = documents.reduce((sum, document) => sum + document.size, 0);
    if (total > ENCLOSURES_MAX_BYTES)
      throw refuse(
        `the documents have ${Math.ceil(total / 1024 / 1024)} MB together; at most ${ENCLOSURES_MAX_BYTES / 1024 / 1024} MB travel with one letter`,
        'documents.refusal.tooLarge',
        { megabytes: Math.ceil(total / 1024 / 1024), max: ENCLOSURES_MAX_BYTES / 1024 / 1024 },
      );
    for (const document of documents)
      if (!this.store.has(document.sha256, document.mediaType))
        throw refuse(
          `the file of ${document.filename} is missing from the data folder`,
          'documents.refusal.fileMissing',
          { filename: document.filename },
        );
    return documents.map(enclosureOf);
  }

  /**
   * Adds a file to a case's documents (kind `case_file`, not issued by Docket): scanned on entry, stored once by its
   * SHA-256, recorded in the audit trail. An infected file is kept in quarantine as evidence (never served nor
   * enclosed) and the authority's admins and managers are told.
   */
  async addCaseFile(caseId: string, file: CaseFileUpload | undefined, title?: unknown): Promise<DocketDocument> {
    const refuse = (field: string, message: string, key: string, params?: FieldError['params']) =>
      new ValidationProblem([{ field, message, key, params }], 'The document was not added.').withMessage(
        'documents.refusal.notAdded',
      );
    if (!file?.buffer)
      throw refuse(
        'file',
        'send the file as multipart/form-data in a field named "file"',
        'attachments.refusal.noFile',
      );
    const filename = cleanFilename(file.originalname ?? '');
    if (file.buffer.length === 0)
      throw refuse('file', `${filename} is empty; a document needs content`, 'attachments.refusal.empty', { filename });
    if (file.buffer.length > CASE_FILE_MAX_BYTES)
      throw refuse(
        'file',
        `${filename} has ${file.buffer.length} bytes; a case document has at most 10 MB`,
        'documents.refusal.fileTooLarge',
        { filename, max: 10 },
      );
    if (title !== undefined && title !== null && typeof title !== 'string')
      throw refuse('title', 'title must be text', 'validation.text');
    const cleanTitle = typeof title === 'string' ? title.trim() : '';
    if (cleanTitle.length > 300)
      throw refuse('title', 'title has at most 300 characters', 'validation.maxLength', { max: 300 });
    const kase = await this.cases.require(caseId);
    const verdict = await this.scanner.scan(file.buffer);
    const mediaType = cleanMediaType(file.mimetype);
    const authorityId = RequestContext.authorityId();
    return this.unitOfWork.run(async () => {
      const { sha256, size } = await this.store.put(file.buffer, mediaType);
      const id = randomUUID();
      const document = this.documents.build({
        id,
        caseId: kase.id,
        kind: 'case_file',
        title: cleanTitle || filename,
        locale: '',
        sha256,
        size,
        mediaType,
        filename,
        reference: kase.reference,
        issueKey: `case_file.${id}`,
        issued: false,
        signed: false,
        scanStatus: verdict.status,
        scanDetail: verdict.detail,
        scannedAt: verdict.scannedAt ? new Date(verdict.scannedAt) : null,
        letterheadVersion: null,
        createdBy: RequestContext.actor().label,
        createdAt: this.clock.now(),
      });
      await this.documents.add(document);
      await this.audit.record({
        action: 'document.added',
        entityType: 'document',
        entityId: id,
        caseId: kase.id,
        after: { kind: 'case_file', title: document.title, filename, mediaType, size, sha256, scan: verdict.status },
      });
      if (verdict.status === 'infected')
        await this.quarantine.send({
          authorityId,
          caseId: kase.id,
          filename,
          sha256,
          signature: verdict.detail ?? 'malware',
          path: `/cases/${kase.id}#documents-title`,
        });
      return document;
    });
  }

  /**
   * The bytes of a document of the caller's authority: 404 for another's, 409 for a quarantined file; `content` null
   * when its file is missing from the data folder.
   */
  async content(id: string): Promise<{ document: DocketDocument; content: ReadStream | null }> {
    const document = await this.get(id);
    this.refuseQuarantined(document);
    return { document, content: this.store.open(document.sha256, document.mediaType) };
  }

  /** A file found infected is kept as evidence: never served, nor passed on to another authority. */
  refuseQuarantined(document: DocketDocument): void {
    if (document.scanStatus === 'infected') throw new FileQuarantined(document.filename, document.scanDetail);
  }

  async get(id: string): Promise<DocketDocument> {
    const document = /^[0-9a-f-]{36}$/i.test(id) ? await this.documents.byId(id) : null;
    if (!document)
      throw new NotFound(`There is no document ${id} in your authority.`).withMessage('problem.documents.notFound', {
        id,
      });
    return document;
  }

  forCase(caseId: string): Promise<DocketDocument[]> {
    return this.documents.forCase(caseId);
  }

  /** Title, kind and hash of the caller's authority's documents among these ids, by id (a procedure's shares). */
  async summaries(ids: string[]): Promise<Map<string, Pick<DocketDocument, 'title' | 'kind' | 'sha256'>>> {
    const found = await this.documents.byIds(ids);
    return new Map(found.map(({ id, title, kind, sha256 }) => [id, { title, kind, sha256 }]));
  }

  /** The newest documents of the caller's authority's cases about an organisation, newest first; none in quarantine. */
  async ofOrganisation(
    organisationId: string,
    limit: number,
  ): Promise<{ id: string; title: string; caseReference: string; createdAt: Date }[]> {
    const documents = await this.documents.ofCases(this.cases.idsWith('organisationId', organisationId), limit);
    const cases = await this.cases.headlines(documents.map((document) => document.caseId!));
    return documents.map(({ id, title, caseId, createdAt }) => ({
      id,
      title,
      caseReference: cases.get(caseId!)!.reference,
      createdAt,
    }));
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

import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { SecretBox } from '#docket/identity';
import {
  Clock,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type FieldError,
  type Runtime,
} from '#docket/platform';
import { renderLetterPdf } from '../pdf/letter-pdf.js';
import type { DocumentSeal } from './document-seal.entity.js';
import { SealRepository } from './seal.repository.js';
import { checkPdfSignature, openPkcs12, readPkcs12, SealProblem, signPdf, type OpenedSeal } from './pdf-seal.js';

export const PKCS12_MAX_BYTES = 64 * 1024;
/** Bytes reserved in each document for the CMS signature (the certificates it carries included). */
export const SIGNATURE_LENGTH = 8192;

export interface SealView {
  configured: boolean;
  version?: number;
  holder?: string;
  subject?: string;
  issuer?: string;
  serialNumber?: string;
  fingerprint?: string;
  notBefore?: string;
  notAfter?: string;
  createdAt?: string;
  createdBy?: string;
}

/** What signing one authority's documents needs, opened from its store once per seal version and process. */
export interface SealKey {
  sealId: string;
  authorityId: string;
  version: number;
  holder: string;
  fingerprint: string;
  /** The PKCS#12 file read once (key and certificates parsed): signing does not read it again. */
  opened: OpenedSeal;
}

/**
 * The authority's electronic seal: uploaded by its admin as a PKCS#12 file with its password (checked by reading
 * it and sealing a sample document: a wrong password or file is a 400 then, never a failure at send time), kept
 * sealed server-side and never sent back.
 */
/** A 400 naming the field of the seal form that is wrong; nothing was saved. */
function notSaved(field: string, message: string, key: string, params: FieldError['params'] = {}): ValidationProblem {
  return new ValidationProblem([{ field, message, key, params }], 'The seal was not saved.').withMessage(
    'seal.refusal.notSaved',
  );
}

@Injectable()
export class SealsService {
  private readonly box: SecretBox;
  /**
   * Opened seals by `<authority id>@<version>`. Every lookup first reads which version is active (one indexed row),
   * so a new upload or a withdrawal in any process is seen at once; this process also drops the authority's entries
   * when it changes the seal itself.
   */
  private readonly opened = new Map<string, SealKey>();
  /** How many times a PKCS#12 file was opened for signing (the cache's effect, read by its test). */
  openings = 0;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly seals: SealRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(RUNTIME) runtime: Runtime,
  ) {
    this.box = new SecretBox(runtime.auditKey, 'document-seal');
  }

  async current(): Promise<SealView> {
    const seal = await this.active();
    return seal ? viewOf(seal) : { configured: false };
  }

  async upload(file: Buffer | null, password: unknown): Promise<SealView> {
    if (!file?.length)
      throw notSaved(
        'certificate',
        'send the PKCS#12 file (.p12/.pfx) as the multipart field "certificate"',
        'seal.refusal.noFile',
      );
    if (file.length > PKCS12_MAX_BYTES)
      throw notSaved(
        'certificate',
        `the file has ${file.length} bytes; a PKCS#12 seal has at most 64 KB`,
        'seal.refusal.tooLarge',
        { max: 64 },
      );
    if (password !== undefined && typeof password !== 'string')
      throw notSaved('password', 'password must be text', 'validation.text');
    const secret = (password as string | undefined) ?? '';
    const now = this.clock.now();
    let certificate: ReturnType<typeof readPkcs12>;
    try {
      certificate = readPkcs12(file, secret, now);
      // A sample document sealed and checked: what would fail at send time fails now.
      const sample = await renderLetterPdf({
        locale: 'en',
        timeZone: 'UTC',
        title: 'Sample',
        reference: 'SAMPLE-0000-0000',
        issuedAt: now,
        letterhead: {
          name: certificate.holder,
          address: null,
          referenceLabel: null,
          signatoryName: null,
          signatoryTitle: null,
          logo: null,
        },
        body: 'Sample',
        verifyUrl: null,
        seal: sealPlaceholder(certificate.holder, 'SAMPLE-0000-0000', now),
      });
      const checked = checkPdfSignature(await signPdf(sample, openPkcs12(file, secret), now));
      if (!checked.signed || !checked.valid)
        throw new SealProblem(
          'certificate',
          'a document sealed with this file does not verify',
          'seal.refusal.doesNotVerify',
        );
    } catch (error) {
      if (error instanceof SealProblem) throw notSaved(error.field, error.message, error.key, error.params);
      throw notSaved(
        'certificate',
        `this file cannot seal documents: ${(error as Error).message}`,
        'seal.refusal.cannotSeal',
      );
    }
    const authorityId = RequestContext.authorityId();
    const view = await this.unitOfWork.run(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seal:${authorityId}`]);
      const previous = await this.seals.newest();
      const saved = await this.seals.add({
        version: (previous?.version ?? 0) + 1,
        subject: certificate.subject,
        holder: certificate.holder,
        issuer: certificate.issuer,
        serialNumber: certificate.serialNumber,
        fingerprint: certificate.fingerprint,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
        certificate: certificate.pem,
        sealedKey: this.box.seal(JSON.stringify({ p12: file.toString('base64'), password: secret })),
        createdBy: RequestContext.actor().label,
        withdrawnAt: null,
        withdrawnBy: null,
      });
      await this.audit.record({
        action: 'seal.configured',
        entityType: 'document_seal',
        entityId: `${authorityId}@${saved.version}`,
        after: {
          version: saved.version,
          subject: saved.subject,
          issuer: saved.issuer,
          fingerprint: saved.fingerprint,
          notAfter: saved.notAfter.toISOString(),
        },
      });
      return viewOf(saved);
    });
    this.forget(authorityId);
    return view;
  }

  /** Drops the opened seals of an authority (its seal changed). */
  private forget(authorityId: string): void {
    for (const key of this.opened.keys()) if (key.startsWith(`${authorityId}@`)) this.opened.delete(key);
  }

  /** Stops sealing: documents issued from now on are unsigned (and say so). */
  async withdraw(): Promise<void> {
    const authorityId = RequestContext.authorityId();
    await this.unitOfWork.run(async () => {
      const seal = await this.active();
      if (!seal) return;
      await this.seals.withdraw(seal.id, this.clock.now(), RequestContext.actor().label);
      await this.audit.record({
        action: 'seal.withdrawn',
        entityType: 'document_seal',
        entityId: `${authorityId}@${seal.version}`,
        before: { fingerprint: seal.fingerprint },
      });
    });
    this.forget(authorityId);
  }

  /** Who seals an authority's documents now (the holder printed on them), or null; opens no key. */
  async holderFor(authorityId: string): Promise<string | null> {
    const seal = await RequestContext.actingFor(authorityId, () => this.active());
    return seal && seal.notAfter.getTime() > this.clock.now().getTime() ? seal.holder : null;
  }

  /** The key that seals an authority's documents now, or null (no seal, withdrawn, or expired). */
  async keyFor(authorityId: string): Promise<SealKey | null> {
    const seal = await RequestContext.actingFor(authorityId, () => this.active());
    if (!seal || seal.notAfter.getTime() <= this.clock.now().getTime()) return null;
    const cacheKey = `${authorityId}@${seal.version}`;
    let key = this.opened.get(cacheKey);
    if (!key || key.sealId !== seal.id) {
      const sealedKey = await RequestContext.actingFor(authorityId, () => this.seals.sealedKey(seal.id));
      const { p12, password } = JSON.parse(this.box.open(sealedKey)) as { p12: string; password: string };
      this.forget(authorityId);
      key = {
        sealId: seal.id,
        authorityId,
        version: seal.version,
        holder: seal.holder,
        fingerprint: seal.fingerprint,
        opened: openPkcs12(Buffer.from(p12, 'base64'), password),
      };
      this.openings += 1;
      this.opened.set(cacheKey, key);
    }
    return key;
  }

  /** The caller's authority's seal in force (withdrawn ones are not). */
  private async active() {
    const newest = await this.seals.newest();
    return newest && !newest.withdrawnAt ? newest : null;
  }
}

export function sealPlaceholder(holder: string, reference: string, signingTime: Date) {
  return { holder, reason: reference, location: null, signingTime, signatureLength: SIGNATURE_LENGTH };
}

function viewOf(seal: DocumentSeal): SealView {
  return {
    configured: true,
    version: seal.version,
    holder: seal.holder,
    subject: seal.subject,
    issuer: seal.issuer,
    serialNumber: seal.serialNumber,
    fingerprint: seal.fingerprint,
    notBefore: seal.notBefore.toISOString(),
    notAfter: seal.notAfter.toISOString(),
    createdAt: seal.createdAt.toISOString(),
    createdBy: seal.createdBy,
  };
}

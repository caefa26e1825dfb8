import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { IdentityService } from '#docket/identity';
import { Clock, RequestContext, UnitOfWork, ValidationProblem, type FieldError } from '#docket/platform';
import { DocumentsService } from './documents.service.js';
import type { Letterhead } from './letterhead.entity.js';
import { LetterheadRepository } from './letterhead.repository.js';

export const LOGO_MAX_BYTES = 500 * 1024;

export interface LetterheadChange {
  name?: unknown;
  address?: unknown;
  referenceLabel?: unknown;
  signatoryName?: unknown;
  signatoryTitle?: unknown;
  /** "true" drops the logo of the version before; a new logo file replaces it. */
  removeLogo?: unknown;
}

export interface LetterheadView {
  version: number | null;
  name: string;
  address: string | null;
  referenceLabel: string | null;
  signatoryName: string | null;
  signatoryTitle: string | null;
  logo: { contentType: string; size: number; sha256: string } | null;
  createdAt: string | null;
  createdBy: string | null;
}

/** What a logo file is, from its bytes (never from the name or type it was sent with); a message when it is not one. */
export function logoProblem(bytes: Buffer): { contentType: 'image/png' | 'image/jpeg' } | { problem: string } {
  if (bytes.length === 0) return { problem: 'the logo file is empty' };
  if (bytes.length > LOGO_MAX_BYTES)
    return { problem: `the logo is ${Math.ceil(bytes.length / 1024)} KB; it may have at most 500 KB` };
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    // Chunks in order, an IHDR first, image data that inflates, and IEND: a PNG pdfkit can decode.
    let offset = 8;
    const data: Buffer[] = [];
    let first = true;
    let ended = false;
    while (offset + 8 <= bytes.length) {
      const length = bytes.readUInt32BE(offset);
      const type = bytes.toString('latin1', offset + 4, offset + 8);
      if (offset + 12 + length > bytes.length) return { problem: 'the PNG file is cut short' };
      if (first && type !== 'IHDR') return { problem: 'the PNG file has no header (IHDR)' };
      if (first) {
        const width = bytes.readUInt32BE(offset + 8);
        const height = bytes.readUInt32BE(offset + 12);
        if (!width || !height || width > 8000 || height > 8000)
          return { problem: `the PNG image is ${width}×${height} pixels; at most 8000×8000` };
      }
      first = false;
      if (type === 'IDAT') data.push(bytes.subarray(offset + 8, offset + 8 + length));
      if (type === 'IEND') {
        ended = true;
        break;
      }
      offset += 12 + length;
    }
    if (!ended || data.length === 0) return { problem: 'the PNG file has no image data or is cut short' };
    try {
      inflateSync(Buffer.concat(data), { maxOutputLength: 64 * 1024 * 1024 });
    } catch {
      return { problem: 'the PNG image data is damaged' };
    }
    return { contentType: 'image/png' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    // A frame header (SOF) among the markers, as pdfkit's JPEG reader needs.
    let offset = 2;
    while (offset + 4 <= bytes.length) {
      if (bytes[offset] !== 0xff) return { problem: 'the JPEG file is damaged' };
      const marker = bytes[offset + 1];
      if ([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf].includes(marker))
        return offset + 9 < bytes.length ? { contentType: 'image/jpeg' } : { problem: 'the JPEG file is cut short' };
      offset += 2 + bytes.readUInt16BE(offset + 2);
    }
    return { problem: 'the JPEG file has no image frame' };
  }
  return { problem: 'the logo must be a PNG or JPEG image' };
}

const LIMITS: Record<string, number> = {
  name: 200,
  address: 1000,
  referenceLabel: 60,
  signatoryName: 200,
  signatoryTitle: 200,
};

/** An authority's letterhead, versioned like its templates: each save is a new version, the newest is printed. */
@Injectable()
export class LetterheadsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly documents: DocumentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly letterheads: LetterheadRepository,
    private readonly identity: IdentityService,
  ) {}

  async current(): Promise<LetterheadView> {
    const authorityId = RequestContext.authorityId();
    const saved = await this.letterheads.newest();
    if (saved) return viewOf(saved);
    const authority = await this.identity.requireAuthority(authorityId);
    return {
      version: null,
      name: authority.name,
      address: null,
      referenceLabel: null,
      signatoryName: null,
      signatoryTitle: null,
      logo: null,
      createdAt: null,
      createdBy: null,
    };
  }

  /**
   * Saves a new version after checking it: the texts, the logo (a real PNG or JPEG of at most 500 KB) and a sample
   * document set with it. Anything wrong is a 400 naming the field; nothing is saved then.
   */
  async save(change: LetterheadChange, logo: Buffer | null): Promise<LetterheadView> {
    const errors: FieldError[] = [];
    const text = (field: keyof typeof LIMITS, required = false): string | null => {
      const raw = change[field as keyof LetterheadChange];
      const value = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
      if (raw !== undefined && typeof raw !== 'string')
        errors.push({ field, message: `${field} must be text`, key: 'validation.text' });
      else if (required && !value)
        errors.push({
          field,
          message: 'enter the name printed at the head of letters',
          key: 'letterhead.refusal.name',
        });
      else if (value.length > LIMITS[field])
        errors.push({
          field,
          message: `at most ${LIMITS[field]} characters (${value.length} given)`,
          key: 'validation.maxLength',
          params: { max: LIMITS[field] },
        });
      return value || null;
    };
    const name = text('name', true) as string;
    const values = {
      address: text('address'),
      referenceLabel: text('referenceLabel'),
      signatoryName: text('signatoryName'),
      signatoryTitle: text('signatoryTitle'),
    };
    let logoType: string | null = null;
    if (logo) {
      const checked = logoProblem(logo);
      if ('problem' in checked)
        errors.push({
          field: 'logo',
          message: checked.problem,
          key: 'letterhead.refusal.logo',
          params: { problem: checked.problem },
        });
      else logoType = checked.contentType;
    }
    if (errors.length)
      throw new ValidationProblem(errors, 'The letterhead was not saved.').withMessage('letterhead.refusal.notSaved');
    const authorityId = RequestContext.authorityId();
    return this.unitOfWork.run(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`letterhead:${authorityId}`]);
      const previous = await this.letterheads.newest();
      const keepLogo = !logo && previous?.logo && String(change.removeLogo) !== 'true';
      const content = {
        name,
        ...values,
        logo: logo ?? (keepLogo ? previous!.logo : null),
      };
      // A sample letter in every script the fonts cover, set with this letterhead: what would fail at send time
      // fails now.
      const authority = await this.identity.requireAuthority(authorityId);
      try {
        await this.documents.render(
          {
            locale: authority.locale,
            title: 'Sample',
            reference: 'SAMPLE-0000-0000',
            issuedAt: this.clock.now(),
            body: 'Sample',
          },
          content,
          authority.timezone,
        );
      } catch (error) {
        if (error instanceof ValidationProblem)
          throw new ValidationProblem(
            [
              {
                field: logo ? 'logo' : 'name',
                message: error.message,
                key: 'letterhead.refusal.sample',
                params: { problem: error.fieldErrors[0]?.message ?? error.message },
              },
            ],
            'The letterhead was not saved.',
          ).withMessage('letterhead.refusal.notSaved');
        throw error;
      }
      const saved = await this.letterheads.add({
        version: (previous?.version ?? 0) + 1,
        ...content,
        logoType: logo ? logoType : keepLogo ? previous!.logoType : null,
        createdBy: RequestContext.actor().label,
      });
      await this.audit.record({
        action: 'letterhead.versioned',
        entityType: 'letterhead',
        entityId: `${authorityId}@${saved.version}`,
        after: { version: saved.version, name, ...values, logo: saved.logo ? sha256(saved.logo) : null },
      });
      return viewOf(saved);
    });
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function viewOf(saved: Letterhead): LetterheadView {
  return {
    version: saved.version,
    name: saved.name,
    address: saved.address,
    referenceLabel: saved.referenceLabel,
    signatoryName: saved.signatoryName,
    signatoryTitle: saved.signatoryTitle,
    logo: saved.logo
      ? { contentType: saved.logoType ?? 'image/png', size: saved.logo.length, sha256: sha256(saved.logo) }
      : null,
    createdAt: saved.createdAt.toISOString(),
    createdBy: saved.createdBy,
  };
}

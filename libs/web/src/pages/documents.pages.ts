import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response as ExpressResponse } from 'express';
import { CasesService } from '#docket/cases';
import {
  CASE_FILE_MAX_BYTES,
  DocumentsService,
  LetterheadsService,
  type CaseFileUpload,
  type DocumentView,
  SealsService,
  VERIFY_MAX_BYTES,
  type LetterheadChange,
  type SealView,
} from '#docket/documents';
import { t } from '#docket/i18n';
import { CASE_WRITERS, CookieSession, Public, Roles } from '#docket/platform';
import { CsrfRefused, CSRF_FIELD } from '../csrf.guard.js';
import { formErrors, formValues, noErrors } from '../forms.js';
import { keyedLabels } from '../labels.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { WebSession } from '../session.js';
import { requireUuid } from './page-helpers.js';

/**
 * The case documents a letter can enclose, as checkbox options (a quarantined file is not offered), the ticked ones
 * checked: the inquiry and the outcome forms list them.
 */
export function enclosureOptions(documents: DocumentView[], checked: readonly string[]) {
  return documents
    .filter((document) => document.scan !== 'infected')
    .map((document) => ({
      value: document.id,
      label: document.title,
      hint: [
        t(`documentKind.${document.kind}`),
        document.filename,
        `${Math.max(1, Math.round(document.size / 1024))} KB`,
        document.scan === 'not_scanned' ? t('documents.notScanned') : null,
      ]
        .filter(Boolean)
        .join(' · '),
      checked: checked.includes(document.id),
    }));
}

/** A document of the authority, to open in the browser (the case page links here). */
@Page('documents')
export class DocumentPages {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id')
  async open(@Param('id') id: string): Promise<StreamableFile> {
    const { document, content } = await this.documents.content(requireUuid(id, 'document'));
    if (!content) throw new NotFoundException(t('documents.fileMissing'));
    return new StreamableFile(content, {
      type: document.mediaType,
      length: document.size,
      // Only a PDF opens in the browser; any other file of a case (staff uploads) is downloaded, never rendered here.
      disposition: `${document.mediaType === 'application/pdf' ? 'inline' : 'attachment'}; filename="${document.filename.replace(/[^\x20-\x7e]/g, '_')}"`,
    });
  }
}

/**
 * The public verify page: anyone holding a document checks that Docket issued exactly these bytes. Checking changes
 * nothing, so the form needs no CSRF token (and a page anyone may open has no session to bind one to).
 */
@Controller('verify')
@Public()
@ApiExcludeController()
export class VerifyPage {
  constructor(
    private readonly pages: PageRenderer,
    private readonly documents: DocumentsService,
  ) {}

  @Get()
  form() {
    return this.pages.render('documents/verify', { title: t('verify.title') });
  }

  @Post()
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: VERIFY_MAX_BYTES, files: 1 } }))
  async check(@UploadedFile() file: { buffer: Buffer; originalname: string } | undefined) {
    if (!file?.buffer?.length)
      return this.pages.render(
        'documents/verify',
        { title: t('verify.title'), error: t('verify.chooseFile') },
        { status: 400 },
      );
    const result = await this.documents.verify(file.buffer);
    return this.pages.render('documents/verify', {
      title: t('verify.title'),
      result,
      filename: file.originalname,
    });
  }
}

const LETTERHEAD_FIELDS = ['name', 'address', 'referenceLabel', 'signatoryName', 'signatoryTitle'];

/**
 * The authority's letterhead (admin). The form is multipart (it carries the logo), read after the guards run, so this
 * controller checks the form's CSRF token itself once the form is read.
 */
@Controller('admin/letterhead')
@CookieSession()
@Roles('admin')
@ApiExcludeController()
export class LetterheadPage {
  constructor(
    private readonly pages: PageRenderer,
    private readonly letterheads: LetterheadsService,
    private readonly session: WebSession,
  ) {}

  @Get()
  async form() {
    const current = await this.letterheads.current();
    return this.page(current, formValues(current as unknown as Record<string, unknown>, LETTERHEAD_FIELDS));
  }

  @Post()
  @UseInterceptors(FileInterceptor('logo', { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 12 } }))
  async save(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Body() body: Record<string, unknown>,
    @UploadedFile() logo: { buffer: Buffer } | undefined,
  ) {
    if (req.headers['sec-fetch-site'] === 'cross-site' || !this.session.checkCsrf(req, res, body?.[CSRF_FIELD]))
      throw new CsrfRefused();
    const values = formValues(body ?? {}, [...LETTERHEAD_FIELDS, 'removeLogo']);
    try {
      const saved = await this.letterheads.save(values as LetterheadChange, logo?.buffer?.length ? logo.buffer : null);
      return this.pages.redirect('/admin/letterhead', t('letterhead.flash.saved', { version: saved.version }));
    } catch (error) {
      if (error instanceof ForbiddenException) throw error;
      const errors = formErrors(error, {
        fields: [...LETTERHEAD_FIELDS, 'logo'],
        messages: {},
      });
      return this.page(await this.letterheads.current(), values, errors, 400);
    }
  }

  private page(
    current: Awaited<ReturnType<LetterheadsService['current']>>,
    values: Record<string, string>,
    errors = noErrors(),
    status = 200,
  ) {
    return this.pages.render(
      'documents/letterhead',
      { title: t('letterhead.title'), current, values, errors, multipart: true },
      { status },
    );
  }
}

const SEAL_MESSAGES = keyedLabels({ password: 'seal.error.password' });
const CASE_FILE_MESSAGES = keyedLabels({ file: 'documents.error.file' });

/**
 * The authority's electronic seal (admin): upload or replace the PKCS#12 certificate, or withdraw it. The upload is
 * multipart, read after the guards run, so this controller checks the forms' CSRF token itself, as the letterhead's.
 * The password is never put back into the form.
 */
@Controller('admin/seal')
@CookieSession()
@Roles('admin')
@ApiExcludeController()
export class SealPage {
  constructor(
    private readonly pages: PageRenderer,
    private readonly seals: SealsService,
    private readonly session: WebSession,
  ) {}

  @Get()
  async form() {
    return this.page(await this.seals.current());
  }

  @Post()
  @UseInterceptors(FileInterceptor('certificate', { limits: { fileSize: 1024 * 1024, files: 1, fields: 4 } }))
  async upload(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Body() body: Record<string, unknown>,
    @UploadedFile() certificate: { buffer: Buffer } | undefined,
  ) {
    this.checkCsrf(req, res, body);
    const { password } = formValues(body ?? {}, ['password']);
    try {
      const saved = await this.seals.upload(certificate?.buffer?.length ? certificate.buffer : null, password);
      return this.pages.redirect('/admin/seal', t('seal.flash.saved', { version: saved.version }));
    } catch (error) {
      if (error instanceof ForbiddenException) throw error;
      const errors = formErrors(error, { fields: ['certificate', 'password'], messages: SEAL_MESSAGES });
      return this.page(await this.seals.current(), errors, 400);
    }
  }

  @Post('withdraw')
  async withdraw(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Body() body: Record<string, unknown>,
  ) {
    this.checkCsrf(req, res, body);
    await this.seals.withdraw();
    return this.pages.redirect('/admin/seal', t('seal.flash.withdrawn'));
  }

  private checkCsrf(req: PageRequest, res: ExpressResponse, body: Record<string, unknown> | undefined): void {
    if (req.headers['sec-fetch-site'] === 'cross-site' || !this.session.checkCsrf(req, res, body?.[CSRF_FIELD]))
      throw new CsrfRefused();
  }

  private page(current: SealView, errors = noErrors(), status = 200) {
    return this.pages.render(
      'documents/seal',
      { title: t('seal.title'), current, errors, multipart: true },
      { status },
    );
  }
}

/**
 * Adds a file to a case's documents (staff), to enclose with a letter. The form is multipart, read after the guards
 * run, so its CSRF token is checked here once the form is read; a refused file shows the form with its message.
 */
@Controller('cases/:id/documents')
@CookieSession()
@Roles(...CASE_WRITERS)
@ApiExcludeController()
export class CaseDocumentPage {
  constructor(
    private readonly pages: PageRenderer,
    private readonly documents: DocumentsService,
    private readonly cases: CasesService,
    private readonly session: WebSession,
  ) {}

  @Get('new')
  async form(@Param('id') id: string) {
    return this.page(requireUuid(id, 'case'), { title: '' });
  }

  @Post()
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: CASE_FILE_MAX_BYTES + 1, files: 1, fields: 4 } }))
  async add(
    @Req() req: PageRequest,
    @Res({ passthrough: true }) res: ExpressResponse,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() file: CaseFileUpload | undefined,
  ) {
    requireUuid(id, 'case');
    if (req.headers['sec-fetch-site'] === 'cross-site' || !this.session.checkCsrf(req, res, body?.[CSRF_FIELD]))
      throw new CsrfRefused();
    const values = formValues(body ?? {}, ['title']);
    try {
      const added = await this.documents.addCaseFile(id, file?.buffer?.length ? file : undefined, values.title);
      return this.pages.redirect(
        `/cases/${id}#documents-title`,
        added.scanStatus === 'infected'
          ? { kind: 'info', message: t('documents.flash.quarantined', { filename: added.filename }) }
          : t('documents.flash.added', { filename: added.filename }),
      );
    } catch (error) {
      if (error instanceof ForbiddenException) throw error;
      const errors = formErrors(error, { fields: ['file', 'title'], messages: CASE_FILE_MESSAGES });
      return this.page(id, values, errors, 400);
    }
  }

  private async page(caseId: string, values: Record<string, string>, errors = noErrors(), status = 200) {
    const file = await this.cases.get(caseId);
    return this.pages.render(
      'documents/add',
      {
        title: t('documents.addTitle', { reference: file.reference }),
        case: { id: file.id, reference: file.reference, organisation: file.organisation.name },
        values,
        errors,
        multipart: true,
      },
      { status },
    );
  }
}

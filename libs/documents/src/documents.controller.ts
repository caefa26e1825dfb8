import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Post,
  Body,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CasesService } from '#docket/cases';
import {
  ApiProblems,
  Authenticated,
  CASE_WRITERS,
  ProblemException,
  Public,
  Roles,
  UuidParam,
  ValidationProblem,
} from '#docket/platform';
import { LetterheadsService, type LetterheadChange } from './letterheads.service.js';
import { CASE_FILE_MAX_BYTES, DocumentsService, type CaseFileUpload } from './documents.service.js';
import { documentView, DocumentView, VerifyView } from './views.js';
import { SealsService } from './seal/seals.service.js';

/** The largest file the verify endpoint reads (a PDF letter is a few hundred KB at most). */
export const VERIFY_MAX_BYTES = 25 * 1024 * 1024;

@ApiTags('documents')
@Controller('api/v1')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly cases: CasesService,
    private readonly letterheads: LetterheadsService,
    private readonly seals: SealsService,
  ) {}

  @Roles('admin')
  @Get('seal')
  @ApiOperation({
    summary: 'Your authority’s electronic seal: the certificate that signs its documents (never the key)',
  })
  @ApiOkResponse({
    description:
      '{configured: false} or {configured: true, version, holder, subject, issuer, serialNumber, fingerprint, notBefore, notAfter, createdAt, createdBy}',
  })
  @ApiProblems(403)
  seal() {
    return this.seals.current();
  }

  @Roles('admin')
  @Post('seal')
  // The file's own limit (64 KB) is checked with a 400; the part limit only stops a runaway upload (413).
  @UseInterceptors(FileInterceptor('certificate', { limits: { fileSize: 1024 * 1024, files: 1, fields: 5 } }))
  @ApiOperation({
    summary:
      'Upload the electronic seal (admin; multipart): certificate (PKCS#12 .p12/.pfx with an RSA key, at most 64 KB) and password. From then on the authority’s documents are signed (PAdES, CMS adbe.pkcs7.detached). The key is kept encrypted and never sent back',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['certificate'],
      properties: { certificate: { type: 'string', format: 'binary' }, password: { type: 'string' } },
    },
  })
  @ApiOkResponse({ description: 'The certificate now sealing documents (as GET /api/v1/seal)' })
  @ApiProblems(400, 403, 413)
  uploadSeal(@Body() body: { password?: unknown }, @UploadedFile() certificate: { buffer: Buffer } | undefined) {
    return this.seals.upload(certificate?.buffer ?? null, body?.password);
  }

  @Roles('admin')
  @Delete('seal')
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw the electronic seal: documents issued from now on are unsigned and say so' })
  @ApiProblems(403)
  async withdrawSeal(): Promise<void> {
    await this.seals.withdraw();
  }

  @Authenticated()
  @Get('letterhead')
  @ApiOperation({ summary: 'The letterhead printed on your authority’s documents now (its newest version)' })
  @ApiOkResponse({
    description:
      '{version, name, address, referenceLabel, signatoryName, signatoryTitle, logo: {contentType, size, sha256} | null, createdAt, createdBy}; version null before the first save',
  })
  letterhead() {
    return this.letterheads.current();
  }

  @Roles('admin')
  @Post('letterhead')
  // The logo's own limit (500 KB) is checked with a 400; the part limit only stops a runaway upload (413).
  @UseInterceptors(FileInterceptor('logo', { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 10 } }))
  @ApiOperation({
    summary:
      'Save a new version of the letterhead (admin; multipart): name, address?, referenceLabel?, signatoryName?, signatoryTitle?, logo? (PNG or JPEG, at most 500 KB; without one the previous logo stays unless removeLogo=true)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', maxLength: 200 },
        address: { type: 'string', maxLength: 1000 },
        referenceLabel: { type: 'string', maxLength: 60 },
        signatoryName: { type: 'string', maxLength: 200 },
        signatoryTitle: { type: 'string', maxLength: 200 },
        removeLogo: { type: 'string', enum: ['true', 'false'] },
        logo: { type: 'string', format: 'binary' },
      },
    },
  })
  @ApiOkResponse({ description: 'The new version (the logo described, never sent back)' })
  @ApiProblems(400, 403, 413)
  saveLetterhead(@Body() body: LetterheadChange, @UploadedFile() logo: { buffer: Buffer } | undefined) {
    return this.letterheads.save(body ?? {}, logo?.buffer ?? null);
  }

  @Authenticated()
  @Get('cases/:id/documents')
  @ApiOperation({ summary: 'The formal documents of a case (letters and decisions issued), oldest first' })
  @ApiOkResponse({ type: DocumentView, isArray: true })
  @ApiProblems(400, 404)
  async list(@UuidParam() id: string): Promise<DocumentView[]> {
    await this.cases.require(id);
    return (await this.documents.forCase(id)).map(documentView);
  }

  @Roles(...CASE_WRITERS)
  @Post('cases/:id/documents')
  // The file's own limit (10 MB) is checked with a 400; the part limit only stops a runaway upload (413).
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: CASE_FILE_MAX_BYTES + 1, files: 1, fields: 5 } }))
  @ApiOperation({
    summary:
      'Add a file to the case’s documents (multipart: file, title?), to enclose with an inquiry or a decision letter (attachmentIds). Scanned for malware on entry: an infected file is kept in quarantine (never served nor sent) and the authority’s admins and managers are told',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, title: { type: 'string', maxLength: 300 } },
    },
  })
  @ApiCreatedResponse({ type: DocumentView })
  @ApiProblems(400, 403, 404, 413)
  async addCaseFile(
    @UuidParam() id: string,
    @Body() body: { title?: unknown },
    @UploadedFile() file: CaseFileUpload | undefined,
  ): Promise<DocumentView> {
    return documentView(await this.documents.addCaseFile(id, file, body?.title));
  }

  @Authenticated()
  @Get('documents/:id')
  @ApiOperation({
    summary:
      'Download a document: the exact bytes issued or added (only for its authority; others get 404; a quarantined file 409)',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The file: the exact bytes issued or added' })
  @ApiProblems(400, 404, 409)
  async download(@UuidParam() id: string): Promise<StreamableFile> {
    const { document, content } = await this.documents.content(id);
    if (!content)
      throw new ProblemException(
        404,
        'Not found',
        `The file of document ${id} is missing from the data folder.`,
      ).withMessage('problem.documents.missingFile', { id });
    return new StreamableFile(content, {
      type: document.mediaType,
      length: document.size,
      disposition: `attachment; filename="${document.filename.replace(/[^\x20-\x7e]/g, '_')}"`,
    });
  }

  @Public()
  @Post('documents/verify')
  @HttpCode(200)
  // No storage configured in this module: multer keeps the file in memory (bounded by the limit).
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: VERIFY_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary:
      'Whether Docket issued exactly this file (multipart field "file"); no sign-in. Answers only the reference and date printed on it and its seal',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOkResponse({ type: VerifyView })
  @ApiProblems(400, 413)
  verify(@UploadedFile() file: { buffer: Buffer } | undefined): Promise<VerifyView> {
    if (!file?.buffer?.length)
      throw new ValidationProblem([
        { field: 'file', message: 'send the document as the multipart field "file"', key: 'verify.refusal.noFile' },
      ]);
    return this.documents.verify(file.buffer);
  }
}

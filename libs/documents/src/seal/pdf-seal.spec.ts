import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedPkcs12 } from '../../../../test/support/certificates.js';
import { renderLetterPdf } from '../pdf/letter-pdf.js';
import { checkPdfSignature, openPkcs12, readPkcs12, SealProblem, signPdf } from './pdf-seal.js';

const letterhead = {
  name: 'Garante per la protezione dei dati personali',
  address: null,
  referenceLabel: null,
  signatoryName: null,
  signatoryTitle: null,
  logo: null,
};
const now = new Date();

describe('electronic seal (PKCS#12, CMS over the ByteRange)', () => {
  const p12 = selfSignedPkcs12('correct horse');
  let sealed: Buffer;

  beforeAll(async () => {
    const certificate = readPkcs12(p12, 'correct horse', now);
    const unsigned = await renderLetterPdf({
      locale: 'it',
      timeZone: 'Europe/Rome',
      title: 'Richiesta di informazioni',
      reference: 'GPDP-2026-0001',
      issuedAt: now,
      letterhead,
      body: 'Testo della lettera.\n\n1. Prima domanda?',
      verifyUrl: 'https://docket.example/verify',
      seal: {
        holder: certificate.holder,
        reason: 'GPDP-2026-0001',
        location: null,
        signingTime: now,
        signatureLength: 8192,
      },
    });
    sealed = await signPdf(unsigned, openPkcs12(p12, 'correct horse'), now);
  });

  it('reads the certificate of a PKCS#12 file and refuses a wrong password, another file, an expired one', () => {
    const certificate = readPkcs12(p12, 'correct horse', now);
    expect(certificate).toMatchObject({
      holder: 'Garante per la protezione dei dati personali',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      pem: expect.stringContaining('BEGIN CERTIFICATE'),
    });
    const problem = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof SealProblem ? [error.field, error.message] : ['unexpected', String(error)];
      }
      return null;
    };
    expect(problem(() => readPkcs12(p12, 'wrong', now))).toEqual(['password', expect.stringMatching(/password/)]);
    expect(problem(() => readPkcs12(Buffer.from('%PDF-1.7 not a certificate'), 'x', now))).toEqual([
      'certificate',
      expect.stringMatching(/not a PKCS#12/),
    ]);
    const expired = selfSignedPkcs12('pw', { days: 10, startsInDays: -20 });
    expect(problem(() => readPkcs12(expired, 'pw', now))).toEqual(['certificate', expect.stringMatching(/expired/)]);
  });

  it('signs a letter so that the signature verifies, and a one-byte change or an appended byte does not', () => {
    expect(checkPdfSignature(sealed)).toEqual({
      signed: true,
      valid: true,
      signer: expect.stringContaining('O=Garante per la protezione dei dati personali'),
      fingerprint: readPkcs12(p12, 'correct horse', now).fingerprint,
      problem: null,
    });
    const text = sealed.toString('latin1');
    // A byte of the page content (before the signature), and one inside the signature itself.
    for (const offset of [Math.floor(text.indexOf('/ByteRange') / 2), text.indexOf('/Contents <') + 200]) {
      const changed = Buffer.from(sealed);
      changed[offset] ^= 0x01;
      expect(checkPdfSignature(changed)).toMatchObject({ signed: true, valid: false });
    }
    expect(checkPdfSignature(Buffer.concat([sealed, Buffer.from('\n')]))).toMatchObject({
      signed: true,
      valid: false,
      problem: 'the signature does not cover the whole file',
    });
  });

  it('is read as a valid signature by poppler too, and keeps the PDF/A-2b identification and extractable text', () => {
    const folder = mkdtempSync(join(tmpdir(), 'docket-seal-'));
    const file = join(folder, 'sealed.pdf');
    writeFileSync(file, sealed);
    const pdfsig = spawnSync('pdfsig', [file], { encoding: 'utf8' });
    expect(pdfsig.stdout).toMatch(/Signature Validation: Signature is Valid/);
    expect(pdfsig.stdout).toMatch(/adbe\.pkcs7\.detached/);
    expect(sealed.toString('latin1')).toMatch(/pdfaid:part>2</);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    expect(text).toContain('Documento munito del sigillo elettronico di Garante per la protezione dei dati personali');
    expect(text).not.toContain('non reca sigillo');
  });

  it('says an unsigned PDF is unsigned', async () => {
    const plain = await renderLetterPdf({
      locale: 'en',
      timeZone: 'UTC',
      title: 'Letter',
      reference: 'X-1',
      issuedAt: now,
      letterhead,
      body: 'Text.',
      verifyUrl: null,
    });
    expect(checkPdfSignature(plain)).toEqual({ signed: false });
  });
});

import { createHash } from 'node:crypto';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';

/**
 * The authority's electronic seal: a PKCS#12 file (private key and certificate) read with node-forge, PDFs signed with
 * @signpdf (a CMS `adbe.pkcs7.detached` signature over the ByteRange, i.e. PAdES Part 2, "PAdES-Basic"), and a
 * verification that re-checks the CMS signature against the bytes it covers.
 */

/**
 * A PKCS#12 file that cannot be used as a seal, with the field to blame and the catalogue message
 * (`seal.refusal.*`, dates as `…Day`).
 */
export class SealProblem extends Error {
  constructor(
    readonly field: 'certificate' | 'password',
    message: string,
    readonly key: string = 'seal.refusal.notPkcs12',
    readonly params: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SealProblem';
  }
}

export interface SealCertificate {
  subject: string;
  /** The name printed on sealed documents: the certificate's organisation, else its common name. */
  holder: string;
  issuer: string;
  serialNumber: string;
  /** SHA-256 of the certificate (DER), hex. */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  /** PEM of the certificate (public). */
  pem: string;
}

const distinguishedName = (attributes: forge.pki.CertificateField[]) =>
  attributes
    .map((attribute) => `${attribute.shortName ?? attribute.name ?? attribute.type}=${attribute.value}`)
    .join(', ');

/**
 * Reads a PKCS#12 file with its password: exactly what signing will need (a shrouded RSA key and the certificate
 * that matches it, valid at `now`). Throws SealProblem naming the field when the file or the password is wrong.
 */
export function readPkcs12(bytes: Buffer, password: string, now: Date): SealCertificate {
  let p12Asn1: forge.asn1.Asn1;
  try {
    p12Asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
  } catch {
    throw new SealProblem('certificate', 'the file is not a PKCS#12 certificate (.p12/.pfx)');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(p12Asn1, false, password);
  } catch (error) {
    const message = (error as Error).message ?? '';
    if (/invalid password|mac could not be verified/i.test(message))
      throw new SealProblem('password', 'the password does not open this PKCS#12 file', 'seal.refusal.password');
    if (/unknown oid|unsupported|rsa/i.test(message))
      throw new SealProblem(
        'certificate',
        'the key in this PKCS#12 file is not an RSA key; Docket seals with RSA keys',
        'seal.refusal.notRsa',
      );
    throw new SealProblem('certificate', 'the file is not a PKCS#12 certificate (.p12/.pfx)');
  }
  const { certificate } = keyAndCertificates(p12);
  const { notBefore, notAfter } = certificate.validity;
  if (notAfter.getTime() <= now.getTime())
    throw new SealProblem(
      'certificate',
      `the certificate expired on ${notAfter.toISOString().slice(0, 10)}`,
      'seal.refusal.expired',
      { expiredDay: notAfter.toISOString().slice(0, 10) },
    );
  if (notBefore.getTime() > now.getTime())
    throw new SealProblem(
      'certificate',
      `the certificate is valid only from ${notBefore.toISOString().slice(0, 10)}`,
      'seal.refusal.notYetValid',
      { fromDay: notBefore.toISOString().slice(0, 10) },
    );
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
  const field = (name: string) => certificate.subject.getField(name) as { value: string } | null;
  return {
    subject: distinguishedName(certificate.subject.attributes),
    holder: field('O')?.value ?? field('CN')?.value ?? distinguishedName(certificate.subject.attributes),
    issuer: distinguishedName(certificate.issuer.attributes),
    serialNumber: certificate.serialNumber,
    fingerprint: createHash('sha256').update(der).digest('hex'),
    notBefore,
    notAfter,
    pem: forge.pki.certificateToPem(certificate),
  };
}

/**
 * A PKCS#12 file opened once: its RSA key and certificates as node-forge objects. Reading a PKCS#12 file (its MAC,
 * the key's PBKDF2 and decryption) costs far more than a signature, so a seal is opened once per version and process
 * (SealsService keeps it) rather than for every document.
 */
export interface OpenedSeal {
  key: forge.pki.rsa.PrivateKey;
  /** The certificate of the key. */
  certificate: forge.pki.Certificate;
  /** Every certificate of the file (the key's and its issuers'), carried in each signature. */
  certificates: forge.pki.Certificate[];
}

/** Opens a PKCS#12 file for signing (readPkcs12 has checked it when it was uploaded). */
export function openPkcs12(bytes: Buffer, password: string): OpenedSeal {
  const p12 = forge.pkcs12.pkcs12FromAsn1(
    forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))),
    false,
    password,
  );
  return keyAndCertificates(p12);
}

/** The RSA private key of an opened PKCS#12 file, the certificate of that key and every certificate it holds. */
function keyAndCertificates(p12: forge.pkcs12.Pkcs12Pfx): OpenedSeal {
  const key = (p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ??
    [])[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key)
    throw new SealProblem(
      'certificate',
      'the PKCS#12 file holds no (password-protected) RSA private key',
      'seal.refusal.noKey',
    );
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => Boolean(cert));
  const certificate = certificates.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.compareTo(key.n) === 0 && publicKey.e?.compareTo(key.e) === 0;
  });
  if (!certificate)
    throw new SealProblem(
      'certificate',
      'the PKCS#12 file holds no certificate for its private key',
      'seal.refusal.noCertificate',
    );
  return { key, certificate, certificates };
}

/**
 * @signpdf's signer over an opened seal: the CMS SignedData its P12Signer makes (SHA-256, detached, the signed
 * attributes contentType, signingTime, messageDigest in that order, every certificate of the file carried), without
 * reading the PKCS#12 file again.
 */
class OpenedSealSigner extends Signer {
  constructor(private readonly seal: OpenedSeal) {
    super();
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString('binary'));
    for (const certificate of this.seal.certificates) p7.addCertificate(certificate);
    p7.addSigner({
      key: this.seal.key,
      certificate: this.seal.certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

/** Signs a PDF that carries a signature placeholder (see renderLetterPdf's `seal`) with an opened seal. */
export async function signPdf(pdf: Buffer, seal: OpenedSeal, signingTime: Date): Promise<Buffer> {
  return new SignPdf().sign(pdf, new OpenedSealSigner(seal), signingTime);
}

export type SignatureCheck =
  | { signed: false }
  | { signed: true; valid: boolean; signer: string | null; fingerprint: string | null; problem: string | null };

const DIGESTS: Record<string, forge.md.Algorithm> = {
  [forge.pki.oids.sha256]: 'sha256',
  [forge.pki.oids.sha384]: 'sha384',
  [forge.pki.oids.sha512]: 'sha512',
  [forge.pki.oids.sha1]: 'sha1',
};

/**
 * Whether a PDF carries a signature and whether it is valid: the last signature's ByteRange must cover the whole
 * file but its own Contents, the CMS messageDigest must be the digest of those bytes, and the signed attributes must
 * verify with the public key of a certificate the signature carries. Says nothing about trust in that certificate.
 */
export function checkPdfSignature(pdf: Buffer): SignatureCheck {
  const text = pdf.toString('latin1');
  if (!/\/ByteRange\b|\/Type\s*\/Sig\b|\/FT\s*\/Sig\b/.test(text)) return { signed: false };
  const invalid = (problem: string, signer: string | null = null, fingerprint: string | null = null) =>
    ({ signed: true, valid: false, signer, fingerprint, problem }) as const;
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (ranges.length === 0) return invalid('the signature dictionary is damaged');
  const [start, firstLength, secondStart, secondLength] = ranges[ranges.length - 1].slice(1).map(Number);
  if (start !== 0 || firstLength >= secondStart || secondStart + secondLength !== pdf.length)
    return invalid('the signature does not cover the whole file');
  const hole = text.slice(firstLength, secondStart);
  if (!/^<[0-9a-fA-F]*>$/.test(hole)) return invalid('the signature’s contents are damaged');
  // The hex string is padded with zeros to the length reserved: DER says where the structure ends.
  const hex = hole.slice(1, -1);
  const covered = Buffer.concat([pdf.subarray(0, firstLength), pdf.subarray(secondStart, secondStart + secondLength)]);
  let message: forge.pkcs7.PkcsSignedData & { rawCapture: Record<string, unknown> };
  try {
    const fromDer = forge.asn1.fromDer as unknown as (
      bytes: forge.util.ByteStringBuffer,
      options: { parseAllBytes: boolean },
    ) => forge.asn1.Asn1;
    const asn1 = fromDer(forge.util.createBuffer(forge.util.hexToBytes(hex.length % 2 ? `${hex}0` : hex)), {
      parseAllBytes: false,
    });
    message = forge.pkcs7.messageFromAsn1(asn1) as typeof message;
  } catch {
    return invalid('the signature is not a CMS (PKCS#7) structure');
  }
  const capture = message.rawCapture;
  const algorithm = DIGESTS[forge.asn1.derToOid(forge.util.createBuffer(capture.digestAlgorithm as string))];
  if (!algorithm) return invalid('the signature uses a digest algorithm Docket does not check');
  const digestOf = (bytes: string) => forge.md[algorithm].create().update(bytes);
  const signature = capture.signature as string;
  const attributes = capture.authenticatedAttributes as forge.asn1.Asn1[] | undefined;
  let signed: forge.md.MessageDigest;
  if (attributes?.length) {
    const digestAttribute = attributes.find(
      (attribute) =>
        forge.asn1.derToOid(forge.util.createBuffer((attribute.value as forge.asn1.Asn1[])[0].value as string)) ===
        forge.pki.oids.messageDigest,
    );
    const claimed = digestAttribute
      ? (((digestAttribute.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string)
      : null;
    if (claimed !== digestOf(covered.toString('binary')).digest().getBytes())
      return invalid('the document was changed after it was sealed');
    const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attributes);
    signed = digestOf(forge.asn1.toDer(set).getBytes());
  } else {
    signed = digestOf(covered.toString('binary'));
  }
  // The signer's certificate is the one SignerInfo names (by serial number); when the file also carries the
  // certificate that issued it (or it is self-issued), that certificate's own signature must hold too.
  const serial = forge.util.bytesToHex(capture.serial as string).replace(/^(00)+(?=.)/, '');
  const certificate = message.certificates.find(
    (candidate) => candidate.serialNumber.replace(/^(00)+(?=.)/, '') === serial,
  );
  if (!certificate) return invalid('the signature carries no certificate of its signer');
  const issuer = message.certificates.find((candidate) => candidate.subject.hash === certificate.issuer.hash);
  let certificateHolds = true;
  try {
    if (issuer) certificateHolds = issuer.verify(certificate);
  } catch {
    certificateHolds = false;
  }
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes();
  const signer = distinguishedName(certificate.subject.attributes);
  const fingerprint = createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
  if (!certificateHolds) return invalid('the signer’s certificate was changed', signer, fingerprint);
  let verified: boolean;
  try {
    verified = (certificate.publicKey as forge.pki.rsa.PublicKey).verify(signed.digest().getBytes(), signature);
  } catch {
    verified = false;
  }
  if (verified) return { signed: true, valid: true, signer, fingerprint, problem: null };
  return invalid('the signature does not verify with the certificate it carries', signer, fingerprint);
}

import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * A self-signed certificate and its RSA key as a PKCS#12 file, made here so no test depends on a certificate file.
 * The key comes from Node's crypto (fast); node-forge builds the certificate and the PKCS#12 file.
 */
export function selfSignedPkcs12(
  password: string,
  { organisation = 'Garante per la protezione dei dati personali', days = 365, startsInDays = -1 } = {},
): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  certificate.serialNumber = `0${Date.now().toString(16)}`;
  const start = new Date(Date.now() + startsInDays * 86_400_000);
  certificate.validity.notBefore = start;
  certificate.validity.notAfter = new Date(start.getTime() + days * 86_400_000);
  const name = [
    { shortName: 'CN', value: `${organisation} (seal)` },
    { shortName: 'O', value: organisation },
    { shortName: 'C', value: 'IT' },
  ];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [certificate], password, { algorithm: 'aes256' });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

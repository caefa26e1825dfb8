import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (OWASP minimum: m=19 MiB, t=2, p=1). */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verifying against this when the user does not exist keeps the response time the same. */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$VJcm2YxuvMV93VadzoZhwg$6q287v4yNg1HLwPMZvItLxeo7V04ZZSgckyOgkDfYsI';

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A new random secret: `bytes` random bytes, hex. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Reads a secret kept in a file readable by its owner only (mode 0600), or writes a new one there
 * (atomically: a crash leaves the old file or the new one, never half of it). `created` says which.
 */
export function readOrCreateSecretFile<T>(
  path: string,
  create: () => T,
  parse: (text: string) => T,
  serialise: (value: T) => string,
): { value: T; created: boolean } {
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return { value: parse(readFileSync(path, 'utf8')), created: false };
  }
  const value = create();
  writeSecretFile(path, serialise(value));
  return { value, created: true };
}

/** Writes `text` to `path` with mode 0600, through a temporary file renamed over it. */
export function writeSecretFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, text, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
}

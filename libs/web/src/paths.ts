import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A folder of libs/web beside src/. The build compiles only TypeScript into dist/, so from
 * dist/libs/web/src the views and assets are found in the source tree.
 */
function webDir(name: string): string {
  const candidates = [new URL(`../${name}`, import.meta.url), new URL(`../../../../libs/web/${name}`, import.meta.url)].map((url) => fileURLToPath(url));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`libs/web/${name} not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const VIEWS_DIR = webDir('views');
export const ASSETS_DIR = webDir('assets');

/** Paths served as pages: everything but the API, health checks and static assets. */
export function isPagePath(path: string): boolean {
  return !/^\/(api|health|assets)(\/|$)/.test(path);
}

/**
 * Where to go after signing in: only a path on this site. Anything else (another host,
 * `//host`, `/\host`, a scheme, control characters) falls back to the dashboard.
 */
export function safeNext(next: unknown, fallback = '/dashboard'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\u007f\\]/.test(next)) return fallback;
  const base = 'http://docket.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return /^\/(login|logout)(\/|\?|#|$)/.test(path) ? fallback : path;
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A folder of libs/web beside src/: in the sources, or in dist/ where the build copies the views
 * and assets (`npm run build`). No fallback to the source tree, so a build that misses a file fails here.
 */
function webDir(name: string): string {
  const dir = fileURLToPath(new URL(`../${name}`, import.meta.url));
  if (!existsSync(dir)) throw new Error(`libs/web/${name} not found in ${dir}: run npm run build`);
  return dir;
}

export const VIEWS_DIR = webDir('views');
export const ASSETS_DIR = webDir('assets');

/**
 * Paths served as pages: everything but the API, health checks, static assets and the calendar feed (read by
 * calendar clients). The exclusion ignores case, so that `/API/v1/...` is never taken for a page (routing
 * itself is case-exact: it matches nothing).
 */
export function isPagePath(path: string): boolean {
  return !/^\/(api|health|assets|ical)(\/|$)/i.test(path);
}

/**
 * Where to go after signing in: only a path on this site. Anything else (another host,
 * `//host`, `/\host`, a scheme, control characters) falls back to the dashboard.
 */
export function safeNext(next: unknown, fallback = '/dashboard'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f\u007f\\]/.test(next))
    return fallback;
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

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { HOLIDAY_SUPPLEMENTS } from './holiday-supplements.js';

const packageVersion = (createRequire(import.meta.url)('date-holidays/package.json') as { version: string }).version;

/**
 * Which public-holiday data a deadline was computed with: the date-holidays release and a digest of Docket's reviewed
 * corrections. Recorded with every computed deadline; when it differs from the running release's, the maintenance
 * step recomputes the deadline and records the move.
 */
export const HOLIDAY_DATA_VERSION = `date-holidays@${packageVersion}+supplements.${createHash('sha256')
  .update(JSON.stringify(HOLIDAY_SUPPLEMENTS))
  .digest('hex')
  .slice(0, 12)}`;

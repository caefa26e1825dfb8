import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { HOLIDAY_DATA_GAPS } from './holiday-data-gaps.js';
import { HOLIDAY_SUPPLEMENTS } from './holiday-supplements.js';

const packageVersion = (createRequire(import.meta.url)('date-holidays/package.json') as { version: string }).version;

/**
 * Which public-holiday data a deadline was computed with: the date-holidays release and a digest of Docket's reviewed
 * corrections and of the gaps it knows in the data (holiday-data-gaps.ts: a year found incomplete, or verified, changes
 * the explanations). Recorded with every computed deadline; when it differs from the running release's, the maintenance
 * step recomputes the deadline and records the move.
 */
export const HOLIDAY_DATA_VERSION = `date-holidays@${packageVersion}+supplements.${createHash('sha256')
  .update(JSON.stringify(HOLIDAY_SUPPLEMENTS))
  .update(JSON.stringify(HOLIDAY_DATA_GAPS))
  .digest('hex')
  .slice(0, 12)}`;

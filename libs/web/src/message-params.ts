import type { MessageParams } from '#docket/i18n';
import { formatDate, formatInstant, weekdayNames, type DateSettings } from './dates.js';

/**
 * Parameters of a structured message of the domain (an explanation line, a refusal) as a reader reads them, by
 * their names: `…Day` an ISO date in words, `…At` an instant in the authority's zone and locale, `weekday` an ISO
 * weekday number as its name; anything else as it is.
 */
export function readableParams(params: Record<string, unknown> | undefined, settings: DateSettings): MessageParams {
  const readable: MessageParams = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (name.endsWith('Day') && typeof value === 'string') readable[name] = formatDate(value, settings);
    else if (name.endsWith('At') && typeof value === 'string') readable[name] = formatInstant(value, settings);
    else if (name === 'weekday' && typeof value === 'number') readable[name] = weekdayNames([value], settings)[0]!;
    else if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      value instanceof Date
    )
      readable[name] = value;
  }
  return readable;
}

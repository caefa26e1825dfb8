import type { TimelineMessage } from '#docket/cases';
import { catalogues, LanguageContext, t, type MessageParams } from '#docket/i18n';
import type { DateSettings } from './dates.js';
import { readableParams } from './message-params.js';
import { deadlineLabel } from './pages/deadline-rows.js';

const ASSESSMENTS = ['answered', 'partial', 'insufficient', 'refused', 'not_answered'];

/** A machine value through the catalogue (`caseStatus.open` → "aperta"); as it is when the catalogue lacks it. */
function word(prefix: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const key = `${prefix}${value}`;
  return catalogues().has(key, LanguageContext.language()) ? t(key) : value;
}

/**
 * A line of a case's timeline in the reader's language, from its catalogue message (`timeline.*`) and parameters:
 * statuses, channels, outcome types and assessments through the catalogue, dates and instants in the authority's
 * zone and locale, a deadline under its label; a line without a message (an action nothing describes) keeps the
 * API's English summary.
 */
export function timelineText(line: { summary: string; message?: TimelineMessage | null }, settings: DateSettings) {
  const message = line.message;
  if (!message) return line.summary;
  const raw = message.params ?? {};
  const params: MessageParams = readableParams(raw, settings);
  if ('fromStatus' in raw) params.fromStatus = word('caseStatus.', raw.fromStatus);
  if ('toStatus' in raw) params.toStatus = word('caseStatus.', raw.toStatus);
  if ('channel' in raw) params.channel = word('channel.', raw.channel);
  if ('outcome' in raw) params.outcome = word('outcomeType.', raw.outcome);
  if ('deadlineLabel' in raw)
    params.deadlineLabel = deadlineLabel(
      { kind: String(raw.deadlineKind ?? '') as never, label: String(raw.deadlineLabel ?? '') },
      settings,
    );
  if ('reason' in raw) params.because = raw.reason ? t('timeline.because', { reason: String(raw.reason) }) : '';
  if ('notified' in raw) params.notice = raw.notified ? t('timeline.inquiry.notice', { to: String(raw.notified) }) : '';
  if ('fields' in raw) {
    params.fields = String(raw.fields ?? '')
      .split(',')
      .filter(Boolean)
      .map((field) => {
        const label = word('timelineField.', field);
        return field === 'priority' && raw.fromPriority && raw.toPriority
          ? `${label} (${word('priority.', raw.fromPriority)} → ${word('priority.', raw.toPriority)})`
          : label;
      })
      .join(', ');
  }
  if (ASSESSMENTS.some((assessment) => assessment in raw))
    params.assessments = ASSESSMENTS.filter((assessment) => Number(raw[assessment] ?? 0) > 0)
      .map((assessment) =>
        t('response.count', { count: Number(raw[assessment]), assessment: word('assessmentWord.', assessment) }),
      )
      .join(', ');
  return t(message.key, params);
}

/** The audit fields a timeline line is made from. */
export interface TimelineSource {
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

type Fields = Record<string, unknown>;

const asFields = (value: unknown): Fields =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};

const show = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return 'none';
  if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : 'none';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

const clip = (text: string, length = 120) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

/** Short values are shown before → after; long or private ones (free text) only by name. */
const SHOWN_VALUES = new Set(['priority', 'status', 'tags', 'riskFlags', 'products', 'legalBasis']);
const FIELD_WORDS: Record<string, string> = {
  assigneeId: 'assignee',
  riskFlags: 'risk flags',
  legalBasis: 'legal basis',
};

function changes(event: TimelineSource): string {
  const before = asFields(event.before);
  const after = asFields(event.after);
  const parts = Object.keys(after).map((key) => {
    const word = FIELD_WORDS[key] ?? key;
    return SHOWN_VALUES.has(key) ? `${word} (${show(before[key])} → ${show(after[key])})` : word;
  });
  return parts.length ? parts.join(', ') : 'nothing';
}

const text = (value: unknown, length = 120): string =>
  value === null || value === undefined ? '' : clip(typeof value === 'string' ? value : JSON.stringify(value), length);

/**
 * The line of a case's own audit event as a catalogue message (pages render it in the reader's language); null
 * for an action it does not know.
 */
export function caseEventMessage(event: TimelineSource): { key: string; params: Record<string, string> } | null {
  const after = asFields(event.after);
  const before = asFields(event.before);
  switch (event.action) {
    case 'case.created':
      return { key: 'timeline.caseCreated', params: { reference: text(after.reference), title: text(after.title) } };
    case 'case.updated':
      return {
        key: 'timeline.caseUpdated',
        params: {
          fields: Object.keys(after).join(','),
          fromPriority: typeof before.priority === 'string' ? before.priority : '',
          toPriority: typeof after.priority === 'string' ? after.priority : '',
        },
      };
    case 'case.status_changed':
      return { key: 'timeline.caseStatus', params: { fromStatus: text(before.status), toStatus: text(after.status) } };
    case 'case.closed':
      return {
        key: 'timeline.caseClosed',
        params: { fromStatus: text(before.status), reason: text(after.closeReason) },
      };
    case 'note.added':
      return { key: 'timeline.note', params: { text: text(after.text) } };
    default:
      return null;
  }
}

/** One readable line per audit event of a case; unknown actions fall back to their name. */
export function summariseCaseEvent(event: TimelineSource): string {
  const after = asFields(event.after);
  const before = asFields(event.before);
  switch (event.action) {
    case 'case.created':
      return clip(`Opened ${show(after.reference)}: ${show(after.title)}`);
    case 'case.updated':
      return clip(`Changed ${changes(event)}`, 300);
    case 'case.status_changed':
      return `Status ${show(before.status)} → ${show(after.status)}`;
    case 'case.closed':
      return clip(`Closed (was ${show(before.status)}): ${show(after.closeReason)}`);
    case 'note.added':
      return clip(`Note: ${show(after.text)}`);
    default:
      return `${event.action.replace(/[._]/g, ' ')} (${event.entityType} ${event.entityId})`;
  }
}

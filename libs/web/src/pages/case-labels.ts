import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES, RISK_FLAGS } from '#docket/cases';
import { CONTACT_ROLES } from '#docket/registry';
import { labelsOf, prefixedOptions } from '../labels.js';

// Each label is read in the language of the request that shows it (catalogue keys <prefix>.<value>).
export const TYPE_LABELS = labelsOf('caseType.', CASE_TYPES);
export const RISK_FLAG_LABELS = labelsOf('riskFlag.', RISK_FLAGS);
export const CONTACT_ROLE_LABELS = labelsOf('contactRole.', CONTACT_ROLES);
const EVENT_LABELS = labelsOf('nextEvent.', ['send_inquiry', 'record_response', 'decide', 'close']);
export const AUDIENCE_LABELS = labelsOf('audience.', ['assignee', 'manager', 'respondent']);

const humanize = (value: string) => value.replace(/_/g, ' ');

/** What a received e-mail's status means to staff, on its case and in the inbox. */
export const INBOUND_STATUS_LABELS = labelsOf('inboundStatus.', [
  'draft',
  'confirmed',
  'triage',
  'auto_reply',
  'bounce',
  'dismissed',
  'extension_request',
]);

export const eventLabel = (event: string): string => EVENT_LABELS[event] ?? humanize(event);

export const STATUS_OPTIONS = prefixedOptions('caseStatus.', CASE_STATUSES);
export const TYPE_OPTIONS = prefixedOptions('caseType.', CASE_TYPES);
export const PRIORITY_OPTIONS = prefixedOptions('priority.', CASE_PRIORITIES);
export const RISK_FLAG_OPTIONS = prefixedOptions('riskFlag.', RISK_FLAGS);
export const CONTACT_ROLE_OPTIONS = prefixedOptions('contactRole.', CONTACT_ROLES);

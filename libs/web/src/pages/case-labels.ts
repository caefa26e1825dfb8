import { CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES, RISK_FLAGS } from '#docket/cases';
import { CONTACT_ROLES } from '#docket/registry';

export const TYPE_LABELS: Record<string, string> = {
  ex_officio: 'Own initiative (ex officio)',
  complaint: 'Complaint',
  cooperation: 'Cooperation with another authority',
  breach: 'Personal data breach',
};

export const RISK_FLAG_LABELS: Record<string, string> = {
  children: 'Children’s data',
  cross_border_transfer: 'Cross-border transfer',
  sensitive_data: 'Sensitive data',
};

export const CONTACT_ROLE_LABELS: Record<string, string> = {
  dpo: 'Data protection officer',
  legal: 'Legal department',
  representative: 'Representative',
  press: 'Press office',
  other: 'Other',
};

const EVENT_LABELS: Record<string, string> = {
  send_inquiry: 'Send an inquiry',
  record_response: 'Record a response',
  decide: 'Record an outcome',
  close: 'Close the case',
};

export const AUDIENCE_LABELS: Record<string, string> = {
  assignee: 'the assigned officer',
  manager: 'the managers',
  respondent: 'the organisation (chaser letter)',
};

const humanize = (value: string) => value.replace(/_/g, ' ');

/** What a received e-mail's status means to staff, on its case and in the inbox. */
export const INBOUND_STATUS_LABELS: Record<string, string> = {
  draft: 'draft reply',
  confirmed: 'confirmed as response',
  triage: 'to triage',
  auto_reply: 'automatic reply',
  bounce: 'bounce',
  dismissed: 'dismissed',
  extension_request: 'extension request',
};

export const eventLabel = (event: string): string => EVENT_LABELS[event] ?? humanize(event);

export const STATUS_OPTIONS = CASE_STATUSES.map((status) => ({ value: status, label: humanize(status) }));
export const TYPE_OPTIONS = CASE_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] ?? humanize(type) }));
export const PRIORITY_OPTIONS = CASE_PRIORITIES.map((priority) => ({ value: priority, label: priority }));
export const RISK_FLAG_OPTIONS = RISK_FLAGS.map((flag) => ({
  value: flag,
  label: RISK_FLAG_LABELS[flag] ?? humanize(flag),
}));
export const CONTACT_ROLE_OPTIONS = CONTACT_ROLES.map((role) => ({
  value: role,
  label: CONTACT_ROLE_LABELS[role] ?? humanize(role),
}));

import type { CaseView } from '#docket/cases';
import { caseFileView } from './case-file-view.js';

const settings = { timezone: 'Europe/Rome', locale: 'it-IT' };

function file(extra: Record<string, unknown> = {}): CaseView {
  return {
    id: '3f1c1e9a-8f59-4c55-9a47-0e6f3b1b2c3d',
    reference: 'GPDP-2025-0001',
    title: 'DeepSeek',
    status: 'open',
    type: 'ex_officio',
    priority: 'normal',
    organisationId: 'a1c1e9a0-8f59-4c55-9a47-0e6f3b1b2c3d',
    organisation: { id: 'a1c1e9a0-8f59-4c55-9a47-0e6f3b1b2c3d', name: 'Hangzhou DeepSeek' },
    assigneeId: null,
    assignee: null,
    products: [],
    legalBasis: null,
    tags: [],
    riskFlags: ['children'],
    version: 1,
    sharedForCoordination: false,
    createdAt: '2025-01-28T09:00:00.000Z',
    updatedAt: '2025-01-28T09:00:00.000Z',
    closedAt: null,
    closeReason: null,
    notes: [],
    allowedActions: [
      { event: 'send_inquiry', to: 'awaiting_response' },
      { event: 'close', to: 'closed' },
    ],
    ...extra,
  } as CaseView;
}

describe('caseFileView', () => {
  it('offers the next steps as links to writers only, in words', () => {
    const writer = caseFileView({ file: file(), timeline: [], deadlines: [], reminders: [], settings, canWrite: true });
    expect(writer.allowed).toEqual([
      { event: 'send_inquiry', label: 'Send an inquiry', to: 'awaiting response', href: '/cases/3f1c1e9a-8f59-4c55-9a47-0e6f3b1b2c3d/inquiries/new' },
      { event: 'close', label: 'Close the case', to: 'closed', href: '#close-form' },
    ]);
    expect(writer.case.riskFlags).toEqual(['Children’s data']);
    expect(writer.case.opened?.text).toBe('28 gen 2025, 10:00 CET');
    const viewer = caseFileView({ file: file(), timeline: [], deadlines: [], reminders: [], settings, canWrite: false });
    expect(viewer.allowed.map((step) => step.href)).toEqual([null, null]);
    expect(viewer.canSendInquiry).toBe(false);
  });

  it('shows responses and outcomes only when the case file carries them', () => {
    expect(caseFileView({ file: file(), timeline: [], deadlines: [], reminders: [], settings, canWrite: true })).toMatchObject({ responses: null, outcomes: null });
    const view = caseFileView({
      file: file({
        responses: [{ receivedAt: '2025-01-30T11:00:00.000Z', channel: 'email', summary: 'Not applicable to us', onTime: true, assessments: { answered: 1, partial: 0, insufficient: 6 } }],
        outcomes: [{ type: 'processing_limitation', decidedAt: '2025-01-30T15:00:00.000Z', summary: 'Urgent limitation', fine: null }],
      }),
      timeline: [],
      deadlines: [],
      reminders: [],
      settings,
      canWrite: true,
    });
    expect(view.responses).toEqual([{ received: '30 gen 2025, 12:00 CET', receivedIso: '2025-01-30T11:00:00.000Z', channel: 'email', summary: 'Not applicable to us', onTime: 'on time', assessments: '1 answered, 6 insufficient' }]);
    expect(view.outcomes).toEqual([{ type: 'processing limitation', decided: '30 gen 2025, 16:00 CET', decidedIso: '2025-01-30T15:00:00.000Z', summary: 'Urgent limitation', fine: null }]);
  });
});

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
      {
        event: 'send_inquiry',
        label: 'Send an inquiry',
        to: 'awaiting response',
        href: '/cases/3f1c1e9a-8f59-4c55-9a47-0e6f3b1b2c3d/inquiries/new',
      },
      { event: 'close', label: 'Close the case', to: 'closed', href: '#close-form' },
    ]);
    expect(writer.case.riskFlags).toEqual(['Children’s data']);
    expect(writer.case.opened?.text).toBe('28 gen 2025, 10:00 CET');
    const viewer = caseFileView({
      file: file(),
      timeline: [],
      deadlines: [],
      reminders: [],
      settings,
      canWrite: false,
    });
    expect(viewer.allowed.map((step) => step.href)).toEqual([null, null]);
    expect(viewer.canSendInquiry).toBe(false);
  });

  it('shows responses and outcomes only when the case file carries them', () => {
    expect(
      caseFileView({ file: file(), timeline: [], deadlines: [], reminders: [], settings, canWrite: true }),
    ).toMatchObject({ responses: null, outcomes: null });
    const view = caseFileView({
      file: file({
        responses: [
          {
            id: 'r1',
            receivedAt: '2025-01-30T11:00:00.000Z',
            channel: 'email',
            summary: 'Not applicable to us',
            onTime: true,
            lateByDays: 0,
            daysToRespond: 2,
            metDeadline: true,
            deadline: { id: 'd1', dueDate: '2025-02-17', dueAt: '2025-02-17T22:59:59.000Z', status: 'met' },
            answers: [
              {
                questionId: 'q1',
                number: 1,
                topic: 'sources',
                text: 'Which sources?',
                assessment: 'partial',
                note: null,
              },
            ],
            assessments: { answered: 0, partial: 1, insufficient: 0, refused: 0, not_answered: 0 },
            followUpQuestionIds: ['q1'],
            attachments: [],
            createdBy: 'Officer',
            createdAt: '2025-01-30T11:00:00.000Z',
          },
        ],
        outcomes: [
          {
            id: 'o1',
            type: 'processing_limitation',
            decidedAt: '2025-01-30T15:00:00.000Z',
            summary: 'Urgent limitation',
            legalBasis: null,
            published: false,
            fine: null,
            referralTo: null,
            noticeTo: null,
            compliance: null,
            followUpChecks: [],
            createdBy: 'Manager',
          },
        ],
      }),
      timeline: [],
      deadlines: [],
      reminders: [],
      settings,
      canWrite: true,
    });
    expect(view.responses).toEqual([
      expect.objectContaining({
        received: '30 gen 2025, 12:00 CET',
        receivedIso: '2025-01-30T11:00:00.000Z',
        timing: 'on time',
        late: false,
        deadline: { href: '/deadlines/d1', dueDate: '2025-02-17', dueDateText: expect.stringContaining('2025') },
        answers: [
          { number: 1, text: 'Which sources?', assessment: 'partial', assessmentText: 'partly answered', note: null },
        ],
        counts: '1 partly answered',
        openQuestions: 1,
      }),
    ]);
    expect(view.outcomes).toEqual([
      expect.objectContaining({
        type: 'processing limitation',
        decided: '30 gen 2025, 16:00 CET',
        decidedIso: '2025-01-30T15:00:00.000Z',
        summary: 'Urgent limitation',
        fine: null,
        compliance: null,
        checks: [],
      }),
    ]);
  });
});

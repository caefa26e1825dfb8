import { assigneeErrors, matchProducts } from './case-rules.js';
import { summariseCaseEvent } from './timeline.js';

describe('case rules', () => {
  it('accepts writers of the authority as assignees and names why others cannot be', () => {
    expect(assigneeErrors(undefined, null)).toEqual([]);
    expect(assigneeErrors('u1', { name: 'Ada', role: 'officer', active: true })).toEqual([]);
    expect(assigneeErrors('u1', { name: 'Ada', role: 'admin', active: true })).toEqual([]);
    expect(assigneeErrors('u1', null)).toEqual([
      {
        field: 'assigneeId',
        message: 'there is no user with id u1 in your authority',
        key: 'cases.refusal.noAssignee',
      },
    ]);
    expect(assigneeErrors('u1', { name: 'Vic', role: 'viewer', active: true })[0]).toMatchObject({
      message: expect.stringContaining('is a viewer'),
      key: 'cases.refusal.assigneeRole',
      params: { name: 'Vic', role: 'viewer' },
    });
    expect(assigneeErrors('u1', { name: 'Old', role: 'officer', active: false })[0].message).toContain('deactivated');
  });

  it("matches products with the organisation's, whatever the case, and lists the known ones on a miss", () => {
    const organisation = { legalName: 'DeepSeek', products: [{ name: 'DeepSeek app' }, { name: 'DeepSeek-R1' }] };
    expect(matchProducts(['deepseek APP', 'DeepSeek-R1'], organisation)).toEqual({
      products: ['DeepSeek app', 'DeepSeek-R1'],
      errors: [],
    });
    const miss = matchProducts(['DeepSeek app', 'Janus'], organisation);
    expect(miss.errors).toEqual([
      {
        field: 'products.1',
        message:
          '"Janus" is not a product of DeepSeek (its products are "DeepSeek app", "DeepSeek-R1"); add it to the organisation first',
        key: 'cases.refusal.unknownProduct',
        params: { name: 'Janus', organisation: 'DeepSeek', count: 2, products: 'DeepSeek app, DeepSeek-R1' },
      },
    ]);
    expect(matchProducts(['X'], { legalName: 'Acme', products: [] }).errors[0].message).toContain(
      'it has no products registered',
    );
  });
});

describe('case timeline summaries', () => {
  const event = (action: string, before: unknown, after: unknown) => ({
    action,
    entityType: 'case',
    entityId: 'c1',
    before,
    after,
  });

  it('reads like a case file', () => {
    expect(summariseCaseEvent(event('case.created', null, { reference: 'GPDP-2025-0001', title: 'DeepSeek' }))).toBe(
      'Opened GPDP-2025-0001: DeepSeek',
    );
    expect(
      summariseCaseEvent(
        event(
          'case.updated',
          { priority: 'normal', title: 'a', assigneeId: null },
          { priority: 'urgent', title: 'b', assigneeId: 'u' },
        ),
      ),
    ).toBe('Changed priority (normal → urgent), title, assignee');
    expect(summariseCaseEvent(event('case.updated', { tags: [] }, { tags: ['ai', 'minors'] }))).toBe(
      'Changed tags (none → ai, minors)',
    );
    expect(summariseCaseEvent(event('case.status_changed', { status: 'open' }, { status: 'awaiting_response' }))).toBe(
      'Status open → awaiting_response',
    );
    expect(
      summariseCaseEvent(event('case.closed', { status: 'decided' }, { status: 'closed', closeReason: 'Fine paid' })),
    ).toBe('Closed (was decided): Fine paid');
    expect(summariseCaseEvent(event('note.added', null, { text: 'x'.repeat(200) }))).toHaveLength(120);
    expect(
      summariseCaseEvent({
        action: 'deadline.extended',
        entityType: 'deadline',
        entityId: 'd1',
        before: null,
        after: null,
      }),
    ).toBe('deadline extended (deadline d1)');
  });
});

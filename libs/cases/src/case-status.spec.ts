import {
  allowedMoves,
  applyCaseEvent,
  CASE_EVENTS,
  CASE_STATUSES,
  type CaseEvent,
  type CaseStatus,
} from './case-status.js';

describe('case status machine', () => {
  it('walks the main path open → awaiting_response → under_review → decided → closed', () => {
    const path: [CaseEvent, CaseStatus][] = [
      ['send_inquiry', 'awaiting_response'],
      ['record_response', 'under_review'],
      ['decide', 'decided'],
      ['close', 'closed'],
    ];
    let status: CaseStatus = 'open';
    for (const [event, expected] of path) {
      const result = applyCaseEvent(status, event);
      expect(result).toEqual({ ok: true, from: status, to: expected, changed: true });
      if (result.ok) status = result.to;
    }
    expect(status).toBe('closed');
  });

  it.each(['under_review', 'decided'] as const)('returns %s to awaiting_response on a follow-up inquiry', (from) => {
    expect(applyCaseEvent(from, 'send_inquiry')).toEqual({ ok: true, from, to: 'awaiting_response', changed: true });
  });

  it.each(['open', 'awaiting_response', 'under_review', 'decided'] as const)('closes from %s', (from) => {
    expect(applyCaseEvent(from, 'close')).toMatchObject({ ok: true, to: 'closed', changed: true });
  });

  it('accepts repeated events that keep the status without calling it a change', () => {
    expect(applyCaseEvent('awaiting_response', 'send_inquiry')).toMatchObject({
      ok: true,
      to: 'awaiting_response',
      changed: false,
    });
    expect(applyCaseEvent('under_review', 'record_response')).toMatchObject({
      ok: true,
      to: 'under_review',
      changed: false,
    });
    expect(applyCaseEvent('decided', 'decide')).toMatchObject({ ok: true, to: 'decided', changed: false });
  });

  it('refuses illegal moves naming what is allowed', () => {
    const result = applyCaseEvent('open', 'record_response');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.allowed).toEqual([
      { event: 'send_inquiry', to: 'awaiting_response' },
      { event: 'decide', to: 'decided' },
      { event: 'close', to: 'closed' },
    ]);
    expect(result.message).toBe(
      'A case that is open cannot record a response (record_response). From open you can: send an inquiry (send_inquiry → awaiting_response), record an outcome (decide → decided), close the case (close → closed).',
    );
  });

  it('allows an urgent decision before any answer, and an answer after the decision', () => {
    expect(applyCaseEvent('open', 'decide')).toMatchObject({ ok: true, to: 'decided', changed: true });
    expect(applyCaseEvent('awaiting_response', 'decide')).toMatchObject({ ok: true, to: 'decided', changed: true });
    expect(applyCaseEvent('decided', 'record_response')).toMatchObject({ ok: true, to: 'decided', changed: false });
  });

  it('lets nothing happen to a closed case', () => {
    expect(allowedMoves('closed')).toEqual([]);
    for (const event of CASE_EVENTS) {
      const result = applyCaseEvent('closed', event);
      expect(result).toMatchObject({ ok: false, allowed: [] });
      if (!result.ok) expect(result.message).toContain('The case is closed');
    }
  });

  it('matches the full transition table', () => {
    const table = Object.fromEntries(
      CASE_STATUSES.map((status) => [
        status,
        Object.fromEntries(
          CASE_EVENTS.map((event) => {
            const result = applyCaseEvent(status, event);
            return [event, result.ok ? result.to : null];
          }),
        ),
      ]),
    );
    expect(table).toEqual({
      open: { send_inquiry: 'awaiting_response', record_response: null, decide: 'decided', close: 'closed' },
      awaiting_response: {
        send_inquiry: 'awaiting_response',
        record_response: 'under_review',
        decide: 'decided',
        close: 'closed',
      },
      under_review: {
        send_inquiry: 'awaiting_response',
        record_response: 'under_review',
        decide: 'decided',
        close: 'closed',
      },
      decided: { send_inquiry: 'awaiting_response', record_response: 'decided', decide: 'decided', close: 'closed' },
      closed: { send_inquiry: null, record_response: null, decide: null, close: null },
    });
  });
});

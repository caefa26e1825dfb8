import { caseFileIndex } from './case-file.js';

const event = { action: 'x', entityType: 'test', entityId: 'e1', before: null, after: { subject: 'Hello' } };

describe('the case file as contributed by other contexts', () => {
  it('collects sections and timeline lines; a bare message is also the English summary', () => {
    const index = caseFileIndex([
      { sections: [{ key: 'inquiries', load: async () => [] }] },
      {
        timeline: {
          'inquiry.sent': { summary: () => 'Inquiry delivered', message: () => ({ key: 'timeline.inquiry.sent' }) },
          'test.summary_only': { summary: (source) => `Seen ${source.entityId}` },
          'letter.queued': (source) => ({
            key: 'timeline.letter.queued',
            params: { subject: String((source.after as { subject: string }).subject) },
          }),
        },
      },
    ]);
    expect(index.sections.map((section) => section.key)).toEqual(['inquiries']);
    expect(index.summaries.get('inquiry.sent')?.(event)).toBe('Inquiry delivered');
    expect(index.messages.get('inquiry.sent')?.(event)).toEqual({ key: 'timeline.inquiry.sent' });
    expect(index.summaries.get('test.summary_only')?.(event)).toBe('Seen e1');
    expect(index.messages.has('test.summary_only')).toBe(false);
    expect(index.messages.get('letter.queued')?.(event)).toEqual({
      key: 'timeline.letter.queued',
      params: { subject: 'Hello' },
    });
    expect(index.summaries.get('letter.queued')?.(event)).toContain('Hello');
  });

  it('refuses a section that would hide a field of the case, or is given twice, and an action described twice', () => {
    const section = (key: string) => ({ key, load: async () => [] });
    expect(() => caseFileIndex([{ sections: [section('status')] }])).toThrow('hide a field');
    expect(() => caseFileIndex([{ sections: [section('a')] }, { sections: [section('a')] }])).toThrow('twice');
    const line = { summary: () => 'line' };
    expect(() => caseFileIndex([{ timeline: { 'a.b': line } }, { timeline: { 'a.b': line } }])).toThrow(
      'described twice',
    );
  });
});

import { responseDeadlineLabel } from './deadline-labels.js';

describe('responseDeadlineLabel', () => {
  it('names the letter by its local date, not the template', () => {
    // 23:30 UTC on 27 January is already 28 January in Rome.
    expect(responseDeadlineLabel(new Date('2025-01-27T23:30:00Z'), 'Europe/Rome')).toBe(
      'Response to the inquiry of 2025-01-28',
    );
    expect(responseDeadlineLabel(new Date('2025-01-27T23:30:00Z'), 'America/New_York')).toBe(
      'Response to the inquiry of 2025-01-27',
    );
  });
});

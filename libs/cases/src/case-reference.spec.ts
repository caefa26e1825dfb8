import { formatCaseReference, referenceYear } from './case-reference.js';

describe('case references', () => {
  it('pads the number to four digits', () => {
    expect(formatCaseReference('GPDP', 2025, 1)).toBe('GPDP-2025-0001');
    expect(formatCaseReference('PIPC', 2025, 42)).toBe('PIPC-2025-0042');
    expect(formatCaseReference('DPC', 2026, 9999)).toBe('DPC-2026-9999');
  });

  it('grows past 9999 instead of wrapping', () => {
    expect(formatCaseReference('DPC', 2026, 10000)).toBe('DPC-2026-10000');
  });

  it('refuses numbers and years that cannot be references', () => {
    expect(() => formatCaseReference('GPDP', 2025, 0)).toThrow(RangeError);
    expect(() => formatCaseReference('GPDP', 2025, 1.5)).toThrow(RangeError);
    expect(() => formatCaseReference('GPDP', 25, 1)).toThrow(RangeError);
  });

  it("takes the year in the authority's time zone", () => {
    const instant = new Date('2025-12-31T16:30:00Z');
    expect(referenceYear(instant, 'Asia/Seoul')).toBe(2026);
    expect(referenceYear(instant, 'Europe/Rome')).toBe(2025);
    expect(referenceYear(new Date('2026-01-01T03:00:00Z'), 'America/New_York')).toBe(2025);
    expect(() => referenceYear(instant, 'Mars/Olympus')).toThrow(RangeError);
  });
});

import { readFileSync } from 'node:fs';
import { IANAZone } from 'luxon';
import { fireAt } from '#docket/deadlines';
import {
  CURRENT_CASES,
  DEMO_AUTHORITIES,
  DEMO_CASES,
  DEMO_ORGANISATIONS,
  DEMO_ROLES,
  demoPassword,
  GARANTE_QUESTIONS,
  HISTORIC_CASES,
  type When,
} from './demo-data.js';
import { offsetFor } from './demo-loader.js';

const bank = new Set(
  (JSON.parse(readFileSync('templates/questions.json', 'utf8')) as { questions: { id: string }[] }).questions.map(
    (question) => question.id,
  ),
);
const letterLocales = (JSON.parse(readFileSync('templates/ai-inquiry/template.json', 'utf8')) as { locales: string[] })
  .locales;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.:/-]{0,49}$/u;

/** Comparable position in time: absolute instants, then relative ones (days, minutes), then live. */
function position(when: When): [number, number] {
  if (when === 'live') return [2, 0];
  if (typeof when === 'string') return [0, new Date(when).getTime()];
  return [1, when.days * 24 * 60 + (when.minutes ?? 0)];
}
const notBefore = (a: When, b: When) => {
  const [pa, va] = position(a);
  const [pb, vb] = position(b);
  return pa > pb || (pa === pb && va >= vb);
};

describe('demo data', () => {
  it('names seven authorities with usable codes, zones and letter languages', () => {
    expect(DEMO_AUTHORITIES.map((authority) => authority.code)).toEqual([
      'GPDP',
      'DPC',
      'PIPC',
      'PPC',
      'CNIL',
      'AP',
      'BLNBDI',
    ]);
    for (const authority of DEMO_AUTHORITIES) {
      expect(authority.code).toMatch(/^[A-Z][A-Z0-9]{1,9}$/);
      expect(IANAZone.isValidZone(authority.timezone)).toBe(true);
      expect(letterLocales).toContain(authority.letterLocale);
      for (const role of DEMO_ROLES) expect(demoPassword(authority.code, role).length).toBeGreaterThanOrEqual(12);
    }
  });

  it('asks only questions of the question bank; the Garante asked seven', () => {
    expect(GARANTE_QUESTIONS).toHaveLength(7);
    for (const kase of DEMO_CASES) {
      for (const event of kase.events) {
        const ids =
          event.kind === 'inquiry'
            ? (event.questionIds ?? [])
            : event.kind === 'response'
              ? event.answers.map((answer) => answer.questionId)
              : [];
        for (const id of ids) expect(bank.has(id) ? id : `${kase.tag}: ${id} is not in the bank`).toBe(id);
      }
    }
  });

  it('keys every case on a unique, valid demo tag and names products its organisation has', () => {
    const tags = DEMO_CASES.map((kase) => kase.tag);
    expect(new Set(tags).size).toBe(tags.length);
    for (const kase of DEMO_CASES) {
      expect(kase.tag).toMatch(/^demo:/);
      expect(kase.tag).toMatch(TAG);
      const organisation = DEMO_ORGANISATIONS.find((candidate) => candidate.request.name === kase.organisation);
      expect(organisation).toBeDefined();
      const products = (organisation?.request.products ?? []).map((product) => product.name);
      for (const product of kase.opened.products ?? []) expect(products).toContain(product);
      // An organisation is registered before its first case.
      expect(notBefore(kase.opened.at, organisation!.at)).toBe(true);
    }
  });

  it('tells each case in time order, after it was opened', () => {
    for (const kase of DEMO_CASES) {
      let previous = kase.opened.at;
      for (const event of kase.events) {
        expect(`${kase.tag} ${event.kind} ${notBefore(event.at, previous)}`).toBe(`${kase.tag} ${event.kind} true`);
        if (event.kind === 'response') expect(notBefore(event.at, event.receivedAt)).toBe(true);
        if (event.kind === 'outcome') expect(notBefore(event.at, event.decidedAt)).toBe(true);
        previous = event.at;
      }
    }
  });

  it('plans no reminders for the 2025 story, and upcoming ones only where the real clock is used', () => {
    for (const event of HISTORIC_CASES.flatMap((kase) => kase.events)) {
      if ('reminders' in event) expect(event.reminders).toBe('none');
    }
    for (const event of CURRENT_CASES.flatMap((kase) => kase.events)) {
      // Outcomes and free deadlines plan from the clock: only on the live clock are their reminders' delays right.
      if ((event.kind === 'outcome' || event.kind === 'deadline') && event.reminders === 'upcoming')
        expect(event.at).toBe('live');
    }
    expect(
      CURRENT_CASES.some((kase) => kase.events.some((event) => event.kind === 'inquiry' && event.liveReminders)),
    ).toBe(true);
  });
});

describe('offsetFor', () => {
  it('gives the offset that fires at the wanted instant, across a change to summer time', () => {
    const due = new Date('2025-03-31T21:59:59.999Z');
    const target = new Date('2025-03-29T10:15:30Z');
    const offset = offsetFor(due, target);
    expect(offset).toMatch(/^-PT\d+H(\d+M)?(\d+S)?$/);
    expect(Math.abs(fireAt(due, offset, 'Europe/Rome').getTime() - target.getTime())).toBeLessThan(1000);
    expect(offsetFor(due, new Date(due.getTime() + 3_600_000))).toBe('PT1H');
  });
});

import { fileURLToPath } from 'node:url';
import { loadTemplateSources } from './loader.js';
import { loadQuestionBank } from './questions.js';
import { renderLetter, tidyText, toSubjectLine } from './renderer.js';
import { sampleLetterContext } from './sample-context.js';
import type { LetterContext, TemplateDefinition } from './types.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));
const bank = await loadQuestionBank(TEMPLATES_DIR);
const templates = await loadTemplateSources(TEMPLATES_DIR, { questionBank: bank });
const byKey = (key: string): TemplateDefinition => templates.find((t) => t.key === key)!;

/** The escaping liquidjs applies to every value in the HTML body. */
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
const HTML_TAG = /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i;

const LOCALISED_DUE_DATE: Record<string, string> = {
  en: '17 February 2025',
  it: '17 febbraio 2025',
  ko: '2025년 2월 17일',
  ja: '2025年2月17日',
  fr: '17 février 2025',
  de: '17. Februar 2025',
  nl: '17 februari 2025',
};

const NO_DEADLINE = new Set([
  'case-assigned',
  'decision-letter',
  'letter-partly-refused',
  'letter-undelivered',
  'response-acknowledgement',
]);

const cases = templates.flatMap((t) => t.locales.map((locale) => [t.key, locale] as const));

describe('every template in every locale it declares', () => {
  it('covers the eleven template keys in seven locales', () => {
    expect(templates.map((t) => t.key)).toEqual([
      'ai-inquiry',
      'case-assigned',
      'chaser',
      'deadline-notice',
      'decision-letter',
      'letter-partly-refused',
      'letter-undelivered',
      'manager-escalation',
      'reply-received',
      'response-acknowledgement',
      'staff-reminder',
    ]);
    expect(cases).toHaveLength(77);
  });

  describe.each(cases)('%s (%s)', (key, locale) => {
    const template = byKey(key);
    const context = sampleLetterContext(template, locale, bank);
    let letter: Awaited<ReturnType<typeof renderLetter>>;
    beforeAll(async () => {
      letter = await renderLetter(template, locale, context);
    });

    it('has a one-line subject with the case reference', () => {
      expect(letter.subject).toContain(context.case.reference);
      expect(letter.subject).not.toMatch(/[\r\n]/);
    });

    // Notices about a case or a letter rather than a due date (an assignment, a letter not delivered) name none.
    if (!NO_DEADLINE.has(key))
      it('states the deadline as a localised date in both bodies', () => {
        expect(context.deadline.formatted).toBe(LOCALISED_DUE_DATE[locale]);
        expect(letter.html).toContain(LOCALISED_DUE_DATE[locale]);
        expect(letter.text).toContain(LOCALISED_DUE_DATE[locale]);
      });

    it('produces an HTML document in the letter language and a text body without tags', () => {
      expect(letter.html).toMatch(/^<!DOCTYPE html>/);
      expect(letter.html).toContain(`<html lang="${locale}">`);
      expect(letter.html).toContain(escapeHtml(context.authority.name));
      expect(letter.text).not.toMatch(HTML_TAG);
      expect(letter.text).toContain(context.case.reference);
      expect(letter.text).not.toMatch(/\n{3,}/);
    });

    if (template.kind === 'inquiry' || template.kind === 'chaser') {
      it('lists every question, numbered, in both bodies', () => {
        expect(context.questions.length).toBeGreaterThan(0);
        for (const q of context.questions) {
          expect(letter.html).toContain(`<li value="${q.number}" data-question-id="${q.id}"`);
          expect(letter.html).toContain(escapeHtml(q.text));
          expect(letter.text).toContain(`${q.number}. ${q.text}`);
        }
      });

      it('tells the respondent to reply quoting the reference and signs with the officer', () => {
        expect(letter.text).toContain(context.inquiry.replyTo!);
        expect(letter.text.split(context.case.reference).length).toBeGreaterThan(2);
        expect(letter.text).toContain(context.officer!.name);
      });
    }
  });
});

describe('ai-inquiry', () => {
  const template = byKey('ai-inquiry');

  it('cites the legal basis when the case has one and a generic power otherwise', async () => {
    const context = sampleLetterContext(template, 'en', bank);
    const withBasis = await renderLetter(template, 'en', context);
    expect(withBasis.text).toContain('Legal basis: Article 58(1)(a) and (e) of Regulation (EU) 2016/679 (GDPR)');
    expect(withBasis.text).toContain('On the basis of the provisions cited above');

    const without = await renderLetter(template, 'en', { ...context, case: { ...context.case, legalBasis: null } });
    expect(without.text).not.toContain('Legal basis:');
    expect(without.text).toContain('investigative powers conferred on this Authority');
  });

  it('addresses a named recipient by name and a company formally otherwise', async () => {
    const context = sampleLetterContext(template, 'ja', bank);
    const company = await renderLetter(template, 'ja', context);
    expect(company.text).toContain('Hangzhou DeepSeek Artificial Intelligence Co., Ltd. 御中');

    const named = await renderLetter(template, 'ja', {
      ...context,
      recipient: { name: '王 偉', email: 'dpo@respondent.example' },
    });
    expect(named.text).toContain('王 偉 様');
    expect(named.text).not.toContain('御中');
  });

  it('renders the Italian letter as the Garante writes it', async () => {
    const letter = await renderLetter(template, 'it', sampleLetterContext(template, 'it', bank));
    expect(letter.subject).toBe(
      'Richiesta di informazioni – Hangzhou DeepSeek Artificial Intelligence Co., Ltd. – Rif. GPDP-2025-0001',
    );
    expect(letter.text).toContain('entro e non oltre il 17 febbraio 2025');
    expect(letter.text).toContain('Base giuridica: art. 58, par. 1, lett. a) ed e), del Regolamento (UE) 2016/679');
    expect(letter.text).toContain('Garante per la protezione dei dati personali');
  });

  it("renders the German letter as Berlin's commissioner writes it", async () => {
    const context = sampleLetterContext(template, 'de', bank);
    const letter = await renderLetter(template, 'de', context);
    expect(letter.subject).toBe(
      'Auskunftsersuchen – Hangzhou DeepSeek Artificial Intelligence Co., Ltd. – Unser Zeichen BLNBDI-2025-0001',
    );
    expect(letter.text).toContain('Sehr geehrte Damen und Herren,');
    expect(letter.text).toContain('Frist bis zum 17. Februar 2025');
    expect(letter.text).toContain(
      'Rechtsgrundlage: Art. 58 Abs. 1 Buchst. a und e der Verordnung (EU) 2016/679 (DSGVO)',
    );
    expect(letter.text).toContain('Mit freundlichen Grüßen\nIm Auftrag\n\nAnna Schneider');
    expect(letter.text).toMatch(/^1\. Bitte benennen Sie sämtliche Kategorien/m);
    const without = await renderLetter(template, 'de', { ...context, case: { ...context.case, legalBasis: null } });
    expect(without.text).toContain('Untersuchungsbefugnisse nach Art. 58 Abs. 1 DSGVO');
  });

  it('renders the Dutch letter as the Autoriteit Persoonsgegevens writes it', async () => {
    const context = sampleLetterContext(template, 'nl', bank);
    const letter = await renderLetter(template, 'nl', context);
    expect(letter.subject).toBe(
      'Verzoek om inlichtingen – Hangzhou DeepSeek Artificial Intelligence Co., Ltd. – Ons kenmerk AP-2025-0001',
    );
    expect(letter.text).toContain('Geachte heer, mevrouw,');
    expect(letter.text).toContain('binnen de gestelde termijn, dat wil zeggen uiterlijk op 17 februari 2025');
    expect(letter.text).toContain('Autoriteit Persoonsgegevens');
    expect(letter.text).toMatch(/^1\. Wilt u alle categorieën persoonsgegevens vermelden/m);
    const without = await renderLetter(template, 'nl', { ...context, case: { ...context.case, legalBasis: null } });
    expect(without.text).toContain('Op grond van artikel 58 lid 1 AVG');
  });

  it('keeps only the questions it is given, numbered from 1', async () => {
    const ids = ['ai.storage_location.countries', 'ai.accuracy.hallucinations'];
    const context = sampleLetterContext(template, 'fr', bank, { questionIds: ids });
    const letter = await renderLetter(template, 'fr', context);
    expect(letter.text).toMatch(/^1\. Veuillez indiquer les pays/m);
    expect(letter.text).toMatch(/^2\. Veuillez décrire les mesures prises pour garantir l'exactitude/m);
    expect(letter.text).not.toMatch(/^3\. /m);
  });
});

describe('chaser', () => {
  const template = byKey('chaser');
  const dueAt = new Date('2025-02-17T22:59:59.999Z');

  it('reminds before the deadline and chases after it', async () => {
    const before = sampleLetterContext(template, 'en', bank, { now: new Date(dueAt.getTime() - 86_400_000) });
    const after = sampleLetterContext(template, 'en', bank, { now: new Date(dueAt.getTime() + 3 * 86_400_000) });
    const early = await renderLetter(template, 'en', before);
    const late = await renderLetter(template, 'en', after);
    expect(early.subject).toMatch(/^Reminder:/);
    expect(early.text).toContain('must reach this Authority no later than 17 February 2025');
    expect(early.text).not.toContain('expired');
    expect(late.subject).toMatch(/^Overdue reply:/);
    expect(late.text).toContain('expired on 17 February 2025');
    expect(late.text).toContain('of 28 January 2025');
  });

  it.each([
    ['it', 'Sollecito di riscontro', 'Promemoria'],
    ['ko', '[회신 독촉]', '[회신 기한 안내]'],
    ['ja', '【督促】', '【御連絡】'],
    ['fr', 'Relance', 'Rappel'],
  ])('switches its subject in %s', async (locale, overdue, reminder) => {
    const late = await renderLetter(template, locale, sampleLetterContext(template, locale, bank));
    const early = await renderLetter(
      template,
      locale,
      sampleLetterContext(template, locale, bank, { now: new Date('2025-02-10T09:00:00Z') }),
    );
    expect(late.subject.startsWith(overdue)).toBe(true);
    expect(early.subject.startsWith(reminder)).toBe(true);
  });

  it('omits the question list when no question is outstanding', async () => {
    const letter = await renderLetter(template, 'en', sampleLetterContext(template, 'en', bank, { questionIds: [] }));
    expect(letter.text).not.toContain('repeated below');
    expect(letter.html).not.toContain('<ol');
  });
});

describe('staff-reminder and manager-escalation', () => {
  const at = (iso: string) => ({ now: new Date(iso) });

  it.each([
    ['2025-02-10T09:00:00Z', 'Response deadline in 7 days', 'expires in 7 days, on 17 February 2025'],
    ['2025-02-16T09:00:00Z', 'Response deadline tomorrow', 'expires tomorrow, 17 February 2025'],
    ['2025-02-17T09:00:00Z', 'Response deadline today', 'expires today, 17 February 2025'],
    ['2025-02-18T09:00:00Z', 'Response deadline passed', 'expired on 17 February 2025'],
  ])('tells the officer how far the deadline is at %s', async (now, subject, sentence) => {
    const template = byKey('staff-reminder');
    const letter = await renderLetter(template, 'en', sampleLetterContext(template, 'en', bank, at(now)));
    expect(letter.subject).toBe(`[DPC-2025-0001] ${subject} – Hangzhou DeepSeek Artificial Intelligence Co., Ltd.`);
    expect(letter.text).toContain(sentence);
    expect(letter.text).toContain('Dear Aoife Byrne,');
    expect(letter.text).toContain('https://docket.example/cases/dpc-2025-0001');
  });

  it('escalates a missed deadline to the manager, naming the officer or the lack of one', async () => {
    const template = byKey('manager-escalation');
    const context = sampleLetterContext(template, 'en', bank);
    const letter = await renderLetter(template, 'en', context);
    expect(letter.subject).toContain('Escalation: response deadline missed');
    expect(letter.text).toContain('Dear Seán Murphy,');
    expect(letter.text).toContain('Assigned officer: Aoife Byrne (aoife.byrne@dpc.example)');

    const unassigned = await renderLetter(template, 'en', { ...context, officer: null });
    expect(unassigned.text).toContain('Assigned officer: nobody – the case is not assigned');

    const early = await renderLetter(
      template,
      'en',
      sampleLetterContext(template, 'en', bank, at('2025-02-14T09:00:00Z')),
    );
    expect(early.subject).toContain('approaching');
    expect(early.text).toContain('expires on 17 February 2025, in 3 days');
  });
});

describe('reply-received', () => {
  it('tells the officer who replied, when, and links to the reply', async () => {
    const template = byKey('reply-received');
    const context = sampleLetterContext(template, 'en', bank);
    const letter = await renderLetter(template, 'en', context);
    expect(letter.subject).toBe('[DPC-2025-0001] Reply received: Re: DPC-2025-0001');
    expect(letter.text).toContain('Dear Aoife Byrne,');
    expect(letter.text).toContain('From: Data Protection Officer <dpo@respondent.example>');
    expect(letter.text).toContain('Received: Jan 30, 2025, 9:12 AM\nResponse deadline: 17 February 2025');
    expect(letter.text).toContain('Open the reply: https://docket.example/inbox/reply-1');
    expect(letter.html).toContain('href="https://docket.example/inbox/reply-1"');
    const withoutLink = await renderLetter(template, 'en', { ...context, reply: { ...context.reply!, url: null } });
    expect(withoutLink.text).toContain('Open case: https://docket.example/cases/dpc-2025-0001');
  });
});

describe('values from the case are data, never markup or headers', () => {
  const template = byKey('ai-inquiry');
  const hostile = (locale: string): LetterContext => {
    const context = sampleLetterContext(template, locale, bank);
    return {
      ...context,
      organisation: { name: 'Evil <script>alert(1)</script> & "Co" \r\nBcc: victim@example.com' },
      recipient: { name: '<img src=x onerror=alert(2)>', email: 'dpo@respondent.example' },
      officer: { name: 'Officer', email: '"><b onmouseover=alert(3)>@x' },
    };
  };

  it('escapes every value in the HTML body', async () => {
    const letter = await renderLetter(template, 'en', hostile('en'));
    expect(letter.html).not.toContain('<script>');
    expect(letter.html).not.toContain('<img');
    expect(letter.html).not.toContain('<b onmouseover');
    expect(letter.html).toContain('Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;');
    expect(letter.html).toContain('href="mailto:&#34;&gt;&lt;b onmouseover=alert(3)&gt;@x"');
  });

  it('keeps every value unchanged in the text body', async () => {
    const letter = await renderLetter(template, 'en', hostile('en'));
    expect(letter.text).toContain('Evil <script>alert(1)</script> & "Co"');
    expect(letter.text).toContain('for the attention of <img src=x onerror=alert(2)>');
  });

  it('puts the subject on one line so no header can be injected', async () => {
    for (const locale of template.locales) {
      const letter = await renderLetter(template, locale, hostile(locale));
      expect(letter.subject).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(letter.subject).toContain('Evil <script>alert(1)</script> & "Co" Bcc: victim@example.com');
    }
  });

  it('does not change the context it is given', async () => {
    const context = hostile('en');
    const copy = structuredClone(context);
    await renderLetter(template, 'en', context);
    expect(context).toEqual(copy);
  });
});

describe('rendering a template that is not there', () => {
  it('names the locales that exist', async () => {
    const template = byKey('ai-inquiry');
    await expect(renderLetter(template, 'es', sampleLetterContext(template, 'en', bank))).rejects.toThrow(
      'This template has no "es" version (available: de, en, fr, it, ja, ko, nl)',
    );
  });

  it('does not mistake inherited names for locales', async () => {
    const template = byKey('ai-inquiry');
    await expect(renderLetter(template, '__proto__', sampleLetterContext(template, 'en', bank))).rejects.toThrow(
      'no "__proto__" version',
    );
  });
});

describe('toSubjectLine and tidyText', () => {
  it('folds every line break and control character of a subject into single spaces', () => {
    expect(toSubjectLine('  A\r\nB\u2028C\tD\u0085E\u0000F  ')).toBe('A B C D E F');
  });

  it('normalises only whitespace in the text body', () => {
    expect(tidyText('\n\na  \r\nb\n\n\n\n<c> & "d"\t\n')).toBe('a\nb\n\n<c> & "d"');
  });
});

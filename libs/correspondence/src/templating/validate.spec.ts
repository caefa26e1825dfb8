import { fileURLToPath } from 'node:url';
import { loadLayout, loadTemplateSources } from './loader.js';
import type { TemplateIssue, TemplateSource } from './types.js';
import { validateTemplateSource } from './validate.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));
const layout = await loadLayout(TEMPLATES_DIR);

const SUBJECT = '{% block subject %}Ref. {{ case.reference }}{% endblock %}';
const TEXT = '{% block text %}Text {{ deadline.formatted }}{% endblock %}';

function withBody(en: string, extraLayout: Record<string, string> = {}): TemplateSource {
  return { sources: { en }, layout: { ...layout, ...extraLayout } };
}
function withHtml(html: string, extraLayout: Record<string, string> = {}): TemplateSource {
  return withBody(
    `{% layout 'letter' %}\n${SUBJECT}\n{% block html %}\n${html}\n{% endblock %}\n${TEXT}\n`,
    extraLayout,
  );
}
function only(source: TemplateSource): TemplateIssue {
  const result = validateTemplateSource(source);
  expect(result.valid).toBe(false);
  expect(result.issues).toHaveLength(1);
  return result.issues[0]!;
}

describe('validateTemplateSource', () => {
  it('accepts every template in templates/', async () => {
    const templates = await loadTemplateSources(TEMPLATES_DIR);
    for (const template of templates) {
      expect({ key: template.key, ...validateTemplateSource(template) }).toEqual({
        key: template.key,
        valid: true,
        issues: [],
      });
    }
  });

  describe('reports syntax errors readably, with file and line', () => {
    it('an unclosed tag, at the end of the file', () => {
      expect(
        only(
          withBody(
            `{% layout 'letter' %}${SUBJECT}${TEXT}{% block html %}\n<p>Hello</p>\n{% if recipient.name %}\n<p>Dear</p>\n{% endblock %}`,
          ),
        ),
      ).toEqual({
        file: 'en.liquid',
        line: 5,
        column: 1,
        message:
          'Unexpected {% endblock %}: a tag opened before it is not closed, or there is no {% block %} for it to close',
      });
      expect(
        only(withBody(`{% layout 'letter' %}${SUBJECT}${TEXT}{% block html %}{% if recipient.name %}`)),
      ).toMatchObject({
        file: 'en.liquid',
        line: 1,
        message: 'Tag {% if recipient.name %} not closed',
      });
    });

    it('a closing tag without its opening tag', () => {
      expect(only(withHtml('<p>Hello</p>\n{% endfor %}'))).toEqual({
        file: 'en.liquid',
        line: 5,
        column: 1,
        message:
          'Unexpected {% endfor %}: a tag opened before it is not closed, or there is no {% for %} for it to close',
      });
    });

    it('an unknown tag', () => {
      expect(only(withHtml('{% include_relative "x" %}'))).toMatchObject({
        line: 4,
        column: 1,
        message: 'Unknown tag {% include_relative %}',
      });
    });

    it('an unclosed output', () => {
      expect(only(withHtml('<p>{{ case.reference </p>'))).toMatchObject({
        file: 'en.liquid',
        line: 4,
        message: 'Unexpected text inside {{ … }}: a filter must follow "|", or the closing }} is missing',
      });
      expect(
        only(
          withBody(
            `{% layout 'letter' %}${SUBJECT}{% block html %}x{% endblock %}{% block text %}\n{{ case.reference `,
          ),
        ),
      ).toEqual({
        file: 'en.liquid',
        line: 2,
        column: 1,
        message: 'Output "{{ case.reference " not closed',
      });
    });

    it('an unknown filter', () => {
      expect(only(withHtml('{{ case.reference | shout }}'))).toEqual({
        file: 'en.liquid',
        line: 4,
        column: 1,
        message: 'Undefined filter: shout',
      });
    });

    it('an error in a layout file, named as the editor shows it', () => {
      const issues = validateTemplateSource(
        withHtml('<p>Hi</p>', { 'signature.html': '<p>{% if officer %}{{ officer.name }}</p>' }),
      ).issues;
      expect(issues).toContainEqual({
        file: '_layout/signature.html',
        line: 1,
        column: 4,
        message: 'Tag {% if officer %} not closed',
      });
    });
  });

  describe('checks the variables a template reads', () => {
    it('names an unknown property and lists the ones that exist', () => {
      expect(only(withHtml('<p>{{ case.refrence }}</p>'))).toEqual({
        file: 'en.liquid',
        line: 4,
        column: 7,
        message: 'Unknown variable "case.refrence". Available: case.reference, case.title, case.legalBasis, case.url',
      });
    });

    it('names an unknown top-level variable', () => {
      expect(only(withHtml('{{ constructor }}')).message).toBe(
        'Unknown variable "constructor". Available: locale, authority, case, organisation, recipient, questions, deadline, officer, inquiry, reminder, reply, delivery, assignment, notice, decision',
      );
      expect(only(withHtml('{{ process.env.HOME }}')).message).toMatch(/^Unknown variable "process"\./);
    });

    it('knows lists and single values', () => {
      expect(
        validateTemplateSource(
          withHtml('{{ questions.size }} {{ questions.first.text }} {{ questions[0].id }} {{ case.title.size }}'),
        ).valid,
      ).toBe(true);
      expect(only(withHtml('{{ questions.text }}')).message).toBe(
        'Unknown variable "questions.text": "questions" is a list (use .first, .last, .size, an index or a for loop)',
      );
      expect(only(withHtml('{{ case.title.first }}')).message).toBe(
        'Unknown variable "case.title.first": "case.title" is a single value',
      );
    });

    it('follows variables into partials, and through `with … as`', () => {
      const direct = only(
        withHtml("{% render 'card' %}", { 'card.html': '<b>{{ officer.phone }}</b>', 'card.txt': '' }),
      );
      expect(direct).toEqual({
        file: '_layout/card.html',
        line: 1,
        column: 7,
        message: 'Unknown variable "officer.phone". Available: officer.name, officer.email',
      });
      const aliased = only(
        withHtml("{% render 'card' with officer as person %}", { 'card.html': '{{ person.phone }}', 'card.txt': '' }),
      );
      expect(aliased.message).toMatch(/^Unknown variable "officer.phone"/);
    });

    it('does not flag variables the template defines itself', () => {
      const html =
        '{% assign ref = case.reference %}{% capture who %}{{ officer.name }}{% endcapture %}{% for q in questions %}{{ forloop.index }} {{ q.text }} {{ ref }} {{ who }}{% endfor %}';
      expect(validateTemplateSource(withHtml(html))).toEqual({ valid: true, issues: [] });
    });
  });

  describe('checks the structure of a letter', () => {
    it('requires a layout first', () => {
      expect(only(withBody(`${SUBJECT}{% block html %}x{% endblock %}${TEXT}`)).message).toMatch(
        /^A letter must start with \{% layout 'letter' %\}/,
      );
    });

    it('requires the three blocks, once each, and nothing else', () => {
      expect(only(withBody(`{% layout 'letter' %}${SUBJECT}{% block html %}x{% endblock %}`)).message).toBe(
        'Missing block "text": add {% block text %}…{% endblock %}',
      );
      expect(
        only(
          withBody(
            `{% layout 'letter' %}${SUBJECT}{% block html %}x{% endblock %}{% block html %}y{% endblock %}${TEXT}`,
          ),
        ).message,
      ).toBe('The block "html" is defined twice');
      expect(
        only(
          withBody(
            `{% layout 'letter' %}${SUBJECT}{% block html %}x{% endblock %}{% block footer %}f{% endblock %}${TEXT}`,
          ),
        ).message,
      ).toBe('Unknown block "footer": a letter has the blocks subject, html and text');
    });

    it('reports content that would never be shown', () => {
      const issue = only(
        withBody(`{% layout 'letter' %}\nDear {{ recipient.name }},\n${SUBJECT}{% block html %}x{% endblock %}${TEXT}`),
      );
      expect(issue).toMatchObject({ file: 'en.liquid', line: 2, column: 1 });
      expect(issue.message).toBe(
        'Content outside the subject, html and text blocks is never shown: move it into a block',
      );
    });

    it('allows comments, assign and capture between blocks', () => {
      const body = `{% layout 'letter' %}{% comment %}note{% endcomment %}{% # inline note %}{% assign r = case.reference %}${SUBJECT}{% block html %}{{ r }}{% endblock %}${TEXT}`;
      expect(validateTemplateSource(withBody(body))).toEqual({ valid: true, issues: [] });
    });

    it('requires the layout and partials to exist in both formats', () => {
      expect(only(withHtml("{% render 'annex' %}")).message).toBe(
        'No layout or partial named "annex": only the files in _layout/ can be used',
      );
      const textless = only(withHtml("{% render 'annex' %}", { 'annex.html': '<p>Annex</p>' }));
      expect(textless.message).toBe('No layout or partial named "annex": only the files in _layout/ can be used');
      expect(only(withBody(`{% layout 'memo' %}${SUBJECT}{% block html %}x{% endblock %}${TEXT}`)).message).toContain(
        '"memo"',
      );
    });

    it('requires a literal layout name', () => {
      expect(
        only(withBody(`{% layout authority.code %}${SUBJECT}{% block html %}x{% endblock %}${TEXT}`)).message,
      ).toBe("The layout must be named in quotes, e.g. {% layout 'letter' %}");
    });
  });

  describe('keeps the HTML inert', () => {
    it('forbids the raw filter', () => {
      expect(only(withHtml('<p>{{ organisation.name | raw }}</p>'))).toEqual({
        file: 'en.liquid',
        line: 4,
        column: 4,
        message: 'The raw filter is not allowed: every value is escaped in the HTML body',
      });
    });

    it.each([
      ['<script>alert(1)</script>', 'a <script> element'],
      ['<a href="javascript:alert(1)">x</a>', 'a javascript: URL'],
      ['<img src="x" onerror="alert(1)">', 'an event-handler attribute (on…=)'],
      ['<iframe src="https://example.org"></iframe>', 'an embedded frame or object'],
    ])('forbids %s', (html, what) => {
      expect(only(withHtml(`<p>ok</p>\n${html}`))).toMatchObject({
        file: 'en.liquid',
        line: 5,
        message: `HTML in a template must not contain ${what}`,
      });
    });

    it('checks the layout files and the subject too, but not the text body', () => {
      expect(
        only(
          withHtml('x', {
            'letter.html':
              '<title>{% block subject %}{% endblock %}</title><script>x</script>{% block html %}{% endblock %}',
          }),
        ),
      ).toMatchObject({
        file: '_layout/letter.html',
        message: 'HTML in a template must not contain a <script> element',
      });
      expect(
        only(
          withBody(
            `{% layout 'letter' %}{% block subject %}<script>{% endblock %}{% block html %}x{% endblock %}${TEXT}`,
          ),
        ).file,
      ).toBe('en.liquid');
      const text = `{% layout 'letter' %}${SUBJECT}{% block html %}x{% endblock %}{% block text %}Write <script> in the text{% endblock %}`;
      expect(validateTemplateSource(withBody(text)).valid).toBe(true);
    });
  });

  describe('checks names and sizes', () => {
    it('rejects an invalid locale code and a badly named layout file', () => {
      const source: TemplateSource = { sources: { 'en_GB!': '' }, layout: { ...layout, 'Letter.HTML': '' } };
      expect(validateTemplateSource(source).issues).toEqual([
        {
          file: '_layout/Letter.HTML',
          message: 'Layout and partial files are named like "letter.html" or "questions.txt"',
        },
        { file: 'en_GB!.liquid', message: '"en_GB!" is not a valid locale code (expected e.g. "en", "it", "pt-BR")' },
      ]);
    });

    it('rejects an empty template and a file beyond the parse limit', () => {
      expect(validateTemplateSource({ sources: {}, layout })).toEqual({
        valid: false,
        issues: [{ file: 'template', message: 'A template needs at least one locale file' }],
      });
      expect(only(withHtml('x'.repeat(200_001))).message).toMatch(
        /^The file is too long \(\d+ characters; at most 200000\)$/,
      );
    });
  });

  it('parses without rendering: a loop bomb is valid syntax and is only stopped when rendered', () => {
    const started = performance.now();
    expect(validateTemplateSource(withHtml('{% for i in (1..100000000) %}{{ i }}{% endfor %}'))).toEqual({
      valid: true,
      issues: [],
    });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

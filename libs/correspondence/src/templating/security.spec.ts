import { fileURLToPath } from 'node:url';
import { loadLayout } from './loader.js';
import { loadQuestionBank } from './questions.js';
import { RENDER_LIMITS } from './engine.js';
import { TemplateRenderError, renderBudget, renderLetter, type RenderBudget } from './renderer.js';
import { sampleLetterContext } from './sample-context.js';
import type { LetterContext, TemplateSource } from './types.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));
const bank = await loadQuestionBank(TEMPLATES_DIR);
const layout = await loadLayout(TEMPLATES_DIR);
const context: LetterContext = sampleLetterContext(
  { kind: 'inquiry', defaultQuestionIds: ['ai.collection.categories'] },
  'en',
  bank,
);

/** A letter whose HTML block is `html`; the subject and text blocks are harmless. */
function letter(html: string, extraLayout: Record<string, string> = {}): TemplateSource {
  return {
    sources: {
      en: `{% layout 'letter' %}{% block subject %}Ref. {{ case.reference }}{% endblock %}{% block html %}${html}{% endblock %}{% block text %}Text{% endblock %}`,
    },
    layout: { ...layout, ...extraLayout },
  };
}

async function failure(source: TemplateSource, budget?: RenderBudget): Promise<TemplateRenderError> {
  try {
    await renderLetter(source, 'en', context, budget);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateRenderError);
    return error as TemplateRenderError;
  }
  throw new Error('the template rendered although it should have failed');
}

describe('a template cannot reach code, prototypes or the environment', () => {
  it.each([
    ['{{ constructor }}', 'constructor'],
    ['{{ case.constructor }}', 'case.constructor'],
    ['{{ case.constructor.constructor }}', 'case.constructor'],
    ['{{ case.__proto__ }}', 'case.__proto__'],
    ['{{ case["__proto__"] }}', 'case.__proto__'],
    ['{{ questions.__proto__.constructor }}', 'questions.__proto__'],
    ['{{ case.reference.constructor }}', 'case.reference.constructor'],
    ['{{ case.hasOwnProperty }}', 'case.hasOwnProperty'],
    ['{{ process.env.HOME }}', 'process'],
    ['{{ global.process }}', 'global'],
    ['{{ globalThis }}', 'globalThis'],
    ['{{ require }}', 'require'],
    ['{{ this }}', 'this'],
  ])('%s fails: undefined variable %s', async (html, variable) => {
    const error = await failure(letter(html));
    expect(error.issue.message).toBe(`Undefined variable: ${variable}`);
    expect(error.issue.file).toBe('en.liquid');
    expect(error.issue.line).toBe(1);
  });

  it.each(['constructor', '__proto__', 'hasOwnProperty', 'toString', 'valueOf'])(
    '{{ "a" | %s }} is an unknown filter',
    async (filter) => {
      const error = await failure(letter(`{{ "a" | ${filter} }}`));
      expect(error.issue.message).toBe(`Undefined filter: ${filter}`);
    },
  );

  it.each([
    '{{ questions | map: "constructor" | join: "," }}',
    '{{ questions | map: "__proto__" | join: "," }}',
    '{{ questions | where: "constructor" | size }}',
    '{{ questions | sort: "constructor" | map: "constructor" | join: "," }}',
    '{{ questions | first | map: "constructor" }}',
  ])('gets nothing from prototypes through %s', async (html) => {
    const outcome = await renderLetter(letter(html), 'en', context).then(
      (rendered) => rendered.html,
      (error: unknown) => error,
    );
    if (typeof outcome === 'string') expect(outcome).not.toMatch(/function|native code|\[object/i);
    else expect(outcome).toBeInstanceOf(TemplateRenderError);
  });

  it('does not expose the environment even through json', async () => {
    const rendered = await renderLetter(letter('{{ case | json }}'), 'en', context);
    expect(rendered.html).toContain('&#34;reference&#34;:&#34;DPC-2025-0001&#34;');
    expect(rendered.html).not.toContain(process.env.PATH ?? 'no PATH');
  });

  it("cannot pollute prototypes or change the caller's data", async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const data = structuredClone(context);
    for (const html of [
      '{% assign __proto__ = case %}{{ reference }}',
      '{% capture __proto__ %}x{% endcapture %}{{ __proto__ }}',
      '{% assign constructor = "x" %}{{ constructor }}',
      '{% increment case %}{% increment __proto__ %}{% decrement questions %}',
      '{% assign polluted = "yes" %}{% assign case.polluted = "yes" %}',
    ]) {
      await renderLetter(letter(html), 'en', data).catch(() => undefined);
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(data).toEqual(context);
    const after = await renderLetter(letter('{{ case.reference }}'), 'en', data);
    expect(after.html).toContain('DPC-2025-0001');
  });
});

describe('a template cannot read files', () => {
  it.each([
    ["{% include '/etc/passwd' %}", '/etc/passwd'],
    ["{% render '../../package.json' %}", '../../package.json'],
    ["{% render '../../../../package.json' %}", '../../../../package.json'],
    ["{% include 'file:///etc/hosts' %}", 'file:///etc/hosts'],
    ["{% render 'questions.html' %}", 'questions.html'],
  ])('%s is not found', async (html, name) => {
    const error = await failure(letter(html));
    expect(error.message).toContain(`No layout or partial named "${name}"`);
    expect(error.message).not.toMatch(/root:|"name": "docket"|localhost/);
  });

  it("rejects {% layout '/etc/passwd' %} as the letter's layout", async () => {
    const source: TemplateSource = {
      sources: {
        en: "{% layout '/etc/passwd' %}{% block subject %}S{% endblock %}{% block html %}H{% endblock %}{% block text %}T{% endblock %}",
      },
      layout,
    };
    const error = await failure(source);
    expect(error.message).toContain('No layout or partial named "/etc/passwd"');
  });

  it('reads partials only from the layout it is given', async () => {
    const rendered = await renderLetter(
      letter("{% render 'extra' %}", { 'extra.html': '<em>in memory</em>' }),
      'en',
      context,
    );
    expect(rendered.html).toContain('<em>in memory</em>');
  });
});

describe('a template cannot exhaust the server', () => {
  const fast = async (source: TemplateSource, pattern: RegExp) => {
    const started = performance.now();
    const error = await failure(source);
    expect(error.message).toMatch(pattern);
    expect(performance.now() - started).toBeLessThan(5_000);
  };

  it('stops {% for i in (1..100000000) %} at the memory limit at once', async () => {
    const started = performance.now();
    await fast(letter('{% for i in (1..100000000) %}{{ i }}{% endfor %}'), /size limit exceeded/i);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('stops nested loops that print only literal text at the time limit', async () => {
    await fast(
      letter('{% for i in (1..1000) %}{% for j in (1..1000) %}xxxxxxxx{% endfor %}{% endfor %}'),
      /limit exceeded/i,
    );
  });

  it('stops output that doubles a string', async () => {
    await fast(
      letter('{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}'),
      /size limit exceeded/i,
    );
  });

  it('charges unescaped text output to the memory limit too', async () => {
    const source: TemplateSource = {
      sources: {
        en: "{% layout 'letter' %}{% block subject %}S{% endblock %}{% block html %}H{% endblock %}{% block text %}{% assign t = case.title %}{% for i in (1..12) %}{% assign t = t | append: t %}{% endfor %}{% for i in (1..10) %}{{ t }}{% endfor %}{% endblock %}",
      },
      layout,
    };
    await fast(source, /\(text\).*size limit exceeded/i);
  });

  it('charges literal text to the memory limit: a loop around a long literal stops at once (it made 450 MB before)', async () => {
    const literal = 'x'.repeat(150_000);
    const error = await failure(letter(`{% for i in (1..3000) %}${literal}{% endfor %}`));
    expect(error.message).toMatch(
      /\(html\): Size limit exceeded: the letter would need more than 1,000,000 characters/,
    );
    const captured = await failure(
      letter(`{% capture s %}{% for i in (1..3000) %}${literal}{% endfor %}{% endcapture %}{{ s | size }}`),
    );
    expect(captured.message).toMatch(/Size limit exceeded/);
  });

  it('gives the three parts of a letter, and the letters of one preview, one budget', async () => {
    const spent = { ...renderBudget(), remainingSteps: 0 };
    const error = await failure(letter('fine'), spent);
    expect(error.message).toMatch(/Time limit exceeded: rendering took longer than 1 second/);
  });

  it('charges a shared budget with the work of rendering, so the next letter of a preview gets what is left', async () => {
    const budget = renderBudget();
    await renderLetter(letter(`{% for i in (1..2000) %}{{ i }}{% endfor %}`), 'en', context, budget);
    expect(budget.remainingSteps).toBeLessThan(RENDER_LIMITS.renderSteps - 2000);
    expect(budget.remainingSteps).toBeGreaterThan(0);
  });

  it('counts work, not time: a letter takes the same steps every time, and one step fewer stops it', async () => {
    const source = letter(`{% for i in (1..500) %}{% if i > 250 %}{{ i }}{% endif %}{% endfor %}`);
    const steps = async () => {
      const budget = renderBudget();
      await renderLetter(source, 'en', context, budget);
      return RENDER_LIMITS.renderSteps - budget.remainingSteps;
    };
    const needed = await steps();
    expect(await steps()).toBe(needed);
    await renderLetter(source, 'en', context, { ...renderBudget(), remainingSteps: needed });
    const error = await failure(source, { ...renderBudget(), remainingSteps: needed - 1 });
    expect(error.message).toMatch(/Time limit exceeded/);
  });

  it('stops a letter within its steps at the wall-clock backstop', async () => {
    const error = await failure(letter('fine'), { ...renderBudget(), remainingMs: 0 });
    expect(error.message).toMatch(/Time limit exceeded/);
  });

  it('still renders an ordinary letter with long literal text', async () => {
    const rendered = await renderLetter(letter(`<p>${'Paragraph text. '.repeat(5_000)}</p>`), 'en', context);
    expect(rendered.html.length).toBeGreaterThan(80_000);
  });

  it('stops a partial that renders itself', async () => {
    await fast(letter("{% render 'loop' %}", { 'loop.html': "x{% render 'loop' %}" }), /limit exceeded/i);
  });

  it('refuses a file longer than the parse limit', async () => {
    await fast(letter('x'.repeat(250_000)), /limit exceeded/i);
  });
});

describe('escaping in the HTML body cannot be switched off', () => {
  const hostile: LetterContext = { ...context, organisation: { name: '<script>alert(1)</script>' } };

  it.each([
    ['{{ organisation.name }}'],
    ['{{ organisation.name | raw }}'],
    ['{% echo organisation.name %}'],
    ['{% liquid echo organisation.name | raw %}'],
    ['{% assign n = organisation.name %}{{ n | raw }}'],
    ['{% cycle organisation.name, "b" %}'],
    ["{% render 'echo', value: organisation.name %}"],
  ])('%s comes out escaped', async (html) => {
    const rendered = await renderLetter(letter(html, { 'echo.html': '{{ value | raw }}' }), 'en', hostile);
    expect(rendered.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(rendered.html).not.toContain('<script>');
  });

  it('escapes a captured value again when it is output, which is safe but visible', async () => {
    const rendered = await renderLetter(
      letter('{% capture n %}{{ organisation.name | raw }}{% endcapture %}{{ n }}'),
      'en',
      hostile,
    );
    expect(rendered.html).toContain('&amp;lt;script&amp;gt;');
    expect(rendered.html).not.toContain('<script>');
  });
});

import { fileURLToPath } from 'node:url';
import { loadLayout } from './loader.js';
import { loadQuestionBank } from './questions.js';
import { RenderPool } from './render-pool.js';
import { TemplateRenderError, renderLetter } from './renderer.js';
import { sampleLetterContext } from './sample-context.js';
import type { TemplateSource } from './types.js';

// The pool runs the built render thread (dist/), as the server does: `npm run build` first.
const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));
const bank = await loadQuestionBank(TEMPLATES_DIR);
const layout = await loadLayout(TEMPLATES_DIR);
const context = sampleLetterContext({ kind: 'inquiry', defaultQuestionIds: ['ai.collection.categories'] }, 'en', bank);
const letter = (html: string): TemplateSource => ({
  sources: {
    en: `{% layout 'letter' %}{% block subject %}Ref. {{ case.reference }}{% endblock %}{% block html %}${html}{% endblock %}{% block text %}Text{% endblock %}`,
  },
  layout,
});
/** A billion empty iterations over one range, charged once: only the time limit stops it. */
const SLOW = letter(
  '{% assign r = (1..1000) %}{% for i in r %}{% for j in r %}{% for k in r %}{% endfor %}{% endfor %}{% endfor %}',
);

/** How many timer callbacks ran while `work` was under way: none when it holds the event loop. */
async function ticksDuring(work: () => Promise<unknown>): Promise<{ ticks: number; outcome: unknown }> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 5);
  const outcome = await work().catch((error: unknown) => error);
  clearInterval(timer);
  return { ticks, outcome };
}

describe('the render pool', () => {
  const pool = new RenderPool();
  afterAll(() => pool.close());

  it('renders a letter as renderLetter does', async () => {
    const source = letter('<p>{{ case.reference }}</p>');
    expect(await pool.renderOne(source, 'en', context)).toEqual(await renderLetter(source, 'en', context));
  });

  it('stops a slow template at the time limit without holding the event loop (which rendering in-process does)', async () => {
    const inProcess = await ticksDuring(() => renderLetter(SLOW, 'en', context));
    expect(inProcess.outcome).toBeInstanceOf(TemplateRenderError);
    expect(inProcess.ticks).toBe(0);
    const inThread = await ticksDuring(() => pool.renderOne(SLOW, 'en', context));
    expect(inThread.outcome).toBeInstanceOf(TemplateRenderError);
    expect((inThread.outcome as Error).message).toMatch(
      /\(html\): Time limit exceeded: rendering took longer than 1 second/,
    );
    expect(inThread.ticks).toBeGreaterThan(0);
  });

  it('answers each letter of a job, and keeps working after a bad one', async () => {
    const outcomes = await pool.render(letter(`{% for i in (1..3000) %}${'x'.repeat(150_000)}{% endfor %}`), [
      { locale: 'en', context },
      { locale: 'fr', context },
    ]);
    expect(outcomes).toEqual([
      { issue: expect.objectContaining({ message: expect.stringMatching(/^Size limit exceeded/) }), part: 'html' },
      { issue: expect.objectContaining({ message: expect.stringMatching(/has no "fr" version/) }) },
    ]);
    expect((await pool.renderOne(letter('fine'), 'en', context)).html).toContain('fine');
  });
});

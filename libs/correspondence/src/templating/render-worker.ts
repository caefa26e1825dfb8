import { parentPort } from 'node:worker_threads';
import { renderBudget, renderLetter, TemplateRenderError } from './renderer.js';
import type { LetterJob, LetterOutcome } from './render-pool.js';

/**
 * A render thread of the RenderPool: renders the letters of one job within one budget of rendering work and
 * answers each letter's outcome. Layouts arrive copied with every job; one object per distinct layout
 * keeps the renderer's parse cache (keyed by the layout object) working across jobs.
 */
const layouts = new Map<string, Readonly<Record<string, string>>>();

parentPort!.on('message', async (job: LetterJob) => {
  const key = JSON.stringify(job.source.layout);
  let layout = layouts.get(key);
  if (!layout) {
    if (layouts.size >= 20) layouts.delete(layouts.keys().next().value as string);
    layouts.set(key, (layout = job.source.layout));
  }
  const budget = renderBudget();
  const outcomes: LetterOutcome[] = [];
  for (const letter of job.letters) {
    try {
      outcomes.push({ letter: await renderLetter({ ...job.source, layout }, letter.locale, letter.context, budget) });
    } catch (error) {
      if (!(error instanceof TemplateRenderError)) throw error;
      outcomes.push({ issue: error.issue, part: error.part });
    }
  }
  parentPort!.postMessage({ id: job.id, outcomes });
});
parentPort!.postMessage({ ready: true });

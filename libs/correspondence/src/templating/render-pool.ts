import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RENDER_LIMITS, timeLimitMessage, type LetterPart } from './engine.js';
import { TemplateRenderError } from './renderer.js';
import type { LetterContext, RenderedLetter, TemplateIssue, TemplateSource } from './types.js';

export interface LetterJob {
  id: number;
  source: TemplateSource;
  letters: { locale: string; context: LetterContext }[];
}

export type LetterOutcome = { letter: RenderedLetter } | { issue: TemplateIssue; part?: LetterPart };

/** Heap of one render thread: far above a letter's needs, far below what hurts the server. */
export const RENDER_THREAD_HEAP_MB = 96;
/**
 * Past the renderer's backstop and this, the thread is stopped from outside: for what liquidjs does not interrupt,
 * generous because parsing (bounded by the parse limit) is slow on a loaded machine.
 */
const GRACE_MS = 5_000;

interface Pending {
  job: LetterJob;
  resolve: (outcomes: LetterOutcome[]) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  /** Its modules are loaded: its clock runs from when it gets a job, not while it starts. */
  ready: boolean;
  busy: Pending | null;
  timer: NodeJS.Timeout | null;
}

/**
 * The built render thread: beside this file in dist/, or, when running from the sources (jest), the one `npm run build`
 * made.
 */
function workerFile(): URL {
  const sibling = new URL('./render-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = new URL('../../../../dist/libs/correspondence/src/templating/render-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('render-worker.js not found: run npm run build');
}

/**
 * Renders templates written by people in threads of their own, so that a template that runs up to its
 * limits never holds the event loop that serves everyone else: each job has the budget of work (counted
 * inside, with a wall-clock backstop there and from outside by stopping the thread), the memory limits of
 * the renderer, and a capped heap. A thread that is stopped or runs out of memory is replaced.
 */
export class RenderPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly size = 2) {}

  /** Renders each letter of one template with one shared budget; a letter that fails comes back as its issue. */
  render(source: TemplateSource, letters: LetterJob['letters']): Promise<LetterOutcome[]> {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    const job: LetterJob = {
      id: this.nextId++,
      source: { sources: source.sources, layout: source.layout },
      letters,
    };
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** One letter, as renderLetter answers it (a TemplateRenderError when it cannot be rendered). */
  async renderOne(source: TemplateSource, locale: string, context: LetterContext): Promise<RenderedLetter> {
    const [outcome] = await this.render(source, [{ locale, context }]);
    if ('issue' in outcome!) throw new TemplateRenderError(outcome.issue, outcome.part);
    return outcome!.letter;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the render pool is closed'));
    await Promise.all(
      this.threads.splice(0).map((thread) => (thread.timer && clearTimeout(thread.timer), thread.worker.terminate())),
    );
  }

  private dispatch(): void {
    while (this.queue.length) {
      const thread = this.threads.find((candidate) => candidate.ready && !candidate.busy);
      if (!thread) {
        if (this.threads.length < this.size) this.spawn();
        return;
      }
      const pending = this.queue.shift()!;
      thread.busy = pending;
      thread.timer = setTimeout(() => this.fail(thread, timeLimitMessage()), RENDER_LIMITS.renderBackstopMs + GRACE_MS);
      thread.worker.postMessage(pending.job);
    }
  }

  private spawn(): void {
    const worker = new Worker(workerFile(), {
      resourceLimits: { maxOldGenerationSizeMb: RENDER_THREAD_HEAP_MB, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    const thread: Thread = { worker, ready: false, busy: null, timer: null };
    worker.on('message', (answer: { ready: true } | { id: number; outcomes: LetterOutcome[] }) => {
      if ('ready' in answer) {
        thread.ready = true;
        this.dispatch();
        return;
      }
      const pending = thread.busy;
      if (!pending || pending.job.id !== answer.id) return;
      if (thread.timer) clearTimeout(thread.timer);
      thread.busy = null;
      thread.timer = null;
      pending.resolve(answer.outcomes);
      this.dispatch();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const message =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `Size limit exceeded: rendering needed more than ${RENDER_THREAD_HEAP_MB} MB of memory; make loops shorter or repeat less text`
          : `The template could not be rendered: ${error.message}`;
      this.fail(thread, message, false);
    });
    worker.on('exit', () => this.fail(thread, 'The template could not be rendered: the render thread stopped', false));
    this.threads.push(thread);
  }

  /** Ends the thread's job with one issue for each of its letters, and replaces the thread. */
  private fail(thread: Thread, message: string, terminate = true): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    if (thread.timer) clearTimeout(thread.timer);
    if (terminate) void thread.worker.terminate();
    const pending = thread.busy;
    thread.busy = null;
    if (pending)
      pending.resolve(pending.job.letters.map((letter) => ({ issue: { file: `${letter.locale}.liquid`, message } })));
    if (!this.closed) this.dispatch();
  }
}

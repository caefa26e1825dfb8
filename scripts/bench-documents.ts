// Time to render and store one inquiry PDF, next to rendering the letter alone (what a letter cost before documents).
// Usage: npm run bench:documents [-- --count 300 --locales it,ko,ja]
// One process, one thread: the figures are per core. The data folder is a scratch one, removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  loadLayout,
  loadQuestionBank,
  loadTemplateSources,
  renderLetter,
  sampleLetterContext,
} from '../libs/correspondence/src/templating/index.js';
import { DocumentStore } from '../libs/documents/src/document-store.js';
import { renderLetterPdf } from '../libs/documents/src/pdf/letter-pdf.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '300' }, locales: { type: 'string', default: 'it,ko,ja,en' } },
});
const count = Number(values.count);
const dir = resolve('templates');
const bank = await loadQuestionBank(dir);
const layout = await loadLayout(dir);
const template = {
  ...(await loadTemplateSources(dir, { questionBank: bank })).find((t) => t.key === 'ai-inquiry')!,
  layout,
};
const dataDir = mkdtempSync(join(tmpdir(), 'docket-bench-documents-'));
const store = new DocumentStore(dataDir);
const letterhead = {
  name: 'Garante per la protezione dei dati personali',
  address: 'Piazza Venezia 11\n00187 Roma',
  referenceLabel: null,
  signatoryName: 'Mario Rossi',
  signatoryTitle: 'Il Segretario generale',
  logo: null,
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (value: number) => value.toFixed(2).padStart(7);

console.log(
  `bench:documents — ${count} letters per locale, template ai-inquiry (${template.defaultQuestionIds.length} questions), Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`,
);
console.log(
  `load average before: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
try {
  for (const locale of String(values.locales).split(',')) {
    const context = sampleLetterContext(template, locale, bank);
    // Warm-up: the fonts are read and parsed once per process, and shaping is remembered across letters.
    for (let i = 0; i < 5; i++) {
      const letter = await renderLetter(template, locale, context);
      await renderLetterPdf({
        locale,
        timeZone: context.authority.timeZone,
        title: letter.subject,
        reference: context.case.reference,
        issuedAt: new Date(),
        letterhead,
        body: letter.text,
        verifyUrl: 'https://docket.example/verify',
      });
    }
    const letterOnly: number[] = [];
    const withPdf: number[] = [];
    let bytes = 0;
    const cpuLetter = process.cpuUsage();
    const startedLetter = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await renderLetter(template, locale, context);
      letterOnly.push(performance.now() - t0);
    }
    const letterWall = performance.now() - startedLetter;
    const letterCpu = process.cpuUsage(cpuLetter);
    const cpuPdf = process.cpuUsage();
    const startedPdf = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const letter = await renderLetter(template, locale, context);
      const pdf = await renderLetterPdf({
        locale,
        timeZone: context.authority.timeZone,
        title: letter.subject,
        reference: context.case.reference,
        // A distinct instant per letter, so every file is distinct and written (as in a campaign).
        issuedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
        letterhead,
        body: letter.text,
        verifyUrl: 'https://docket.example/verify',
      });
      await store.put(pdf);
      bytes += pdf.length;
      withPdf.push(performance.now() - t0);
    }
    const pdfWall = performance.now() - startedPdf;
    const pdfCpu = process.cpuUsage(cpuPdf);
    letterOnly.sort((a, b) => a - b);
    withPdf.sort((a, b) => a - b);
    const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000 / count;
    console.log(`\n[${locale}]`);
    console.log(
      `  letter only        p50 ${ms(quantile(letterOnly, 0.5))} ms  p95 ${ms(quantile(letterOnly, 0.95))} ms  ${(count / (letterWall / 1000)).toFixed(0).padStart(6)} letters/s  CPU ${cpuMs(letterCpu).toFixed(2)} ms/letter`,
    );
    console.log(
      `  letter+PDF+store   p50 ${ms(quantile(withPdf, 0.5))} ms  p95 ${ms(quantile(withPdf, 0.95))} ms  ${(count / (pdfWall / 1000)).toFixed(0).padStart(6)} PDFs/s     CPU ${cpuMs(pdfCpu).toFixed(2)} ms/letter  (${(bytes / count / 1024).toFixed(0)} KB per PDF)`,
    );
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(
  `\nload average after: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);

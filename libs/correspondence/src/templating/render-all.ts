import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTemplateSources } from './loader.js';
import { loadQuestionBank } from './questions.js';
import { renderLetter } from './renderer.js';
import { sampleLetterContext } from './sample-context.js';
import { escapeHtml } from '#docket/platform';

export interface RenderAllResult {
  /** Paths of the files written, relative to the output folder. */
  files: string[];
  letters: number;
}

/**
 * Renders every template in every locale with sample data into `outDir` for people to
 * review: `<key>/<locale>.html`, `<key>/<locale>.txt` (subject on the first line) and an
 * `index.html` listing them all.
 */
export async function renderAllTemplates(templatesDir: string, outDir: string): Promise<RenderAllResult> {
  const bank = await loadQuestionBank(templatesDir);
  const templates = await loadTemplateSources(templatesDir, { questionBank: bank });
  const files: string[] = [];
  const rows: string[] = [];
  for (const template of templates) {
    await mkdir(join(outDir, template.key), { recursive: true });
    for (const locale of template.locales) {
      const letter = await renderLetter(template, locale, sampleLetterContext(template, locale, bank));
      const base = `${template.key}/${locale}`;
      await writeFile(join(outDir, `${base}.html`), letter.html + '\n');
      await writeFile(join(outDir, `${base}.txt`), `Subject: ${letter.subject}\n\n${letter.text}\n`);
      files.push(`${base}.html`, `${base}.txt`);
      rows.push(
        `<tr><td>${escapeHtml(template.key)} v${template.version}</td><td>${escapeHtml(locale)}</td>` +
          `<td><a href="${escapeHtml(base)}.html">${escapeHtml(letter.subject)}</a></td>` +
          `<td><a href="${escapeHtml(base)}.txt">text</a></td></tr>`,
      );
    }
  }
  await writeFile(
    join(outDir, 'index.html'),
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Docket templates</title></head><body>\n' +
      '<h1>Docket templates (sample data)</h1>\n<table border="1" cellpadding="4">\n' +
      '<tr><th>Template</th><th>Locale</th><th>Subject (HTML)</th><th>Text</th></tr>\n' +
      rows.join('\n') +
      '\n</table>\n</body></html>\n',
  );
  files.push('index.html');
  return { files, letters: rows.length };
}

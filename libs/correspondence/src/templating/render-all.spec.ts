import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAllTemplates } from './render-all.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));

describe('renderAllTemplates', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'docket-preview-'));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('writes every template in every locale as HTML and text, with an index', async () => {
    const result = await renderAllTemplates(TEMPLATES_DIR, out);
    expect(result.letters).toBe(77);
    const expected = [
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
    ].flatMap((key) =>
      ['en', 'it', 'ko', 'ja', 'fr', 'de', 'nl'].flatMap((locale) => [`${key}/${locale}.html`, `${key}/${locale}.txt`]),
    );
    expect(result.files.sort()).toEqual([...expected, 'index.html'].sort());
    for (const file of result.files) expect((await stat(join(out, file))).size).toBeGreaterThan(200);

    const text = await readFile(join(out, 'ai-inquiry/it.txt'), 'utf8');
    expect(text).toMatch(/^Subject: Richiesta di informazioni – .* – Rif\. GPDP-2025-0001\n\n/);
    expect(text).toContain('entro e non oltre il 17 febbraio 2025');
    const html = await readFile(join(out, 'ai-inquiry/ko.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('2025년 2월 17일까지');
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index.match(/<tr><td>/g)).toHaveLength(77);
    expect(index).toContain('href="staff-reminder/ja.html"');
  });
});

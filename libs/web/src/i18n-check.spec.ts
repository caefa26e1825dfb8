import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE_DIR, CatalogueError, Catalogues, LANGUAGES } from '#docket/i18n';
import {
  argumentsOf,
  englishLiterals,
  keysOfCode,
  keysOfView,
  read,
  relativeTo,
  unkeyedFieldErrors,
  walk,
} from './i18n-check.js';
import { NAV } from './page-renderer.js';
import { VIEWS_DIR } from './paths.js';

/**
 * The catalogue check (issue 20): fails when a key is missing in any catalogue, when a view shows English outside
 * the catalogue, when a catalogue has a key no view or code uses, or when a translation lost an argument.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const catalogues = Catalogues.load();
const english = new Set(catalogues.keys('en'));
const views = walk(VIEWS_DIR, '.liquid');
const code = ['apps', 'libs'].flatMap((dir) => walk(join(ROOT, dir), '.ts'));

describe('the interface catalogues', () => {
  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s has exactly the keys of en', (language) => {
    const keys = new Set(catalogues.keys(language));
    expect({ missing: [...english].filter((key) => !keys.has(key)) }).toEqual({ missing: [] });
    expect({ extra: [...keys].filter((key) => !english.has(key)) }).toEqual({ extra: [] });
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))("%s's messages take the arguments of en", (language) => {
    const differing = [...english].filter(
      (key) =>
        catalogues.has(key, language) &&
        argumentsOf(catalogues.source(language, key)!).join() !== argumentsOf(catalogues.source('en', key)!).join(),
    );
    expect(differing).toEqual([]);
  });

  it('has no English outside the catalogue in any view', () => {
    const findings = views
      .flatMap((file) => englishLiterals(read(file), relativeTo(VIEWS_DIR, file)))
      .map((finding) => `${finding.file}:${finding.line}: ${finding.text}`);
    expect(findings).toEqual([]);
  });

  it('names every navigation link by a catalogue key', () => {
    expect(NAV.filter((item) => !english.has(item.label)).map((item) => `${item.href}: ${item.label}`)).toEqual([]);
  });

  it('has every key that a view or code uses', () => {
    const used = [
      ...views.flatMap((file) => [...keysOfView(read(file)).keys].map((key) => [relativeTo(VIEWS_DIR, file), key])),
      ...code.flatMap((file) => [...keysOfCode(read(file)).called].map((key) => [relativeTo(ROOT, file), key])),
    ];
    expect(used.filter(([, key]) => !english.has(key)).map(([file, key]) => `${file}: ${key}`)).toEqual([]);
  });

  it('has a catalogue message for every field error a service raises', () => {
    // Pages write their own field messages with t(); the problem module builds errors from others' and answers
    // the database's refusals by column; a wrong second-factor code is a 401 whose page says it with login.code.*.
    const exempt = ['libs/web/', 'libs/platform/src/problem.ts', 'libs/identity/src/auth.service.ts'];
    const findings = code
      .map((file) => [file, relativeTo(ROOT, file)] as const)
      .filter(([, path]) => !exempt.some((prefix) => path.startsWith(prefix)))
      .flatMap(([file, path]) => unkeyedFieldErrors(read(file), path))
      .map((finding) => `${finding.file}:${finding.line}: ${finding.text}`);
    expect(findings).toEqual([]);
  });

  it('has no key that no view or code uses', () => {
    const keys = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of views) {
      const found = keysOfView(read(file));
      found.keys.forEach((key) => keys.add(key));
      found.prefixes.forEach((prefix) => prefixes.add(prefix));
    }
    for (const file of code) {
      const found = keysOfCode(read(file));
      [...found.called, ...found.literals].forEach((key) => keys.add(key));
      found.prefixes.forEach((prefix) => prefixes.add(prefix));
    }
    const unused = [...english].filter(
      (key) => !keys.has(key) && ![...prefixes].some((prefix) => key.startsWith(prefix)),
    );
    expect(unused).toEqual([]);
  });
});

describe('the catalogue check itself', () => {
  it('finds English in text, read attributes and render arguments, and nothing in Liquid or keys', () => {
    const view = [
      '{% comment %}Words in a comment{% endcomment %}',
      '<h1>{{ title }}</h1>',
      '<p>Opened {{ case.opened }}</p>',
      '<nav aria-label="Main">',
      "<a title=\"{{ 'a.b' | t }}\">{{ 'nav.cases' | t }}</a>",
      "{% render 'partials/field', name: 'x', label: 'Due date' %}",
      "{% render 'partials/field', name: 'y', label: 'cases.dueDate' %}",
      "{% if status == 'open' %}<span>{{ 'caseStatus.' | append: status | t }}</span>{% endif %}",
      '<p>Docket · UTC · SHA-256</p>',
    ].join('\n');
    expect(englishLiterals(view, 'v').map((finding) => [finding.line, finding.text])).toEqual([
      [6, "label: 'Due date'"],
      [4, 'aria-label="Main"'],
      [3, 'Opened'],
    ]);
    const keys = keysOfView(view);
    expect([...keys.keys].sort()).toEqual(['a.b', 'cases.dueDate', 'nav.cases']);
    expect([...keys.prefixes]).toEqual(['caseStatus.']);
  });

  it('finds the keys code uses', () => {
    const found = keysOfCode(
      "t('flash.saved'); translate(lang, 'errors.heading404', {}); const k = `role.${x}`; const list = ['nav.cases'];" +
        " new ProblemException(409, 'Conflict', detail).withMessage('problem.cases.closed', { reference });" +
        " new ValidationProblem([{ field: 'reason', message: 'reason is required', key: 'cases.refusal.reason' }]);" +
        " throw refuse('file', 'the file is empty', 'documents.refusal.empty');",
    );
    expect([...found.called].sort()).toEqual([
      'cases.refusal.reason',
      'documents.refusal.empty',
      'errors.heading404',
      'flash.saved',
      'problem.cases.closed',
    ]);
    expect(found.literals.has('nav.cases')).toBe(true);
    expect([...found.prefixes]).toEqual(['role.']);
  });

  it('finds field errors without a catalogue message, past strings and template literals', () => {
    const source = [
      "errors.push({ field: 'reason', message: `closing ${what} needs a reason` });",
      "errors.push({ field: 'reason', message: 'closing needs a reason', key: 'cases.refusal.closeReason' });",
      'errors.push({ field, message: problem, ...offsetRefusal(offset) });',
      "const text = 'a { brace } in a string';",
      "throw new ValidationProblem([{ field: 'to', message: '} is not a date' }]);",
    ].join('\n');
    expect(unkeyedFieldErrors(source, 'f').map((finding) => [finding.line, finding.text])).toEqual([
      [1, "{ field: 'reason', message: `closing ${what} needs a reason` }"],
      [5, "{ field: 'to', message: '} is not a date' }"],
    ]);
  });

  it('compares the arguments of messages, also inside plurals', () => {
    expect(argumentsOf('{count, plural, one {# case of {name}} other {# cases}} by {date}')).toEqual([
      'count',
      'date',
      'name',
    ]);
  });

  it('stops on a message that is not ICU MessageFormat, naming file and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogues-'));
    for (const language of LANGUAGES)
      writeFileSync(join(dir, `${language}.json`), readFileSync(join(CATALOGUE_DIR, `${language}.json`)));
    writeFileSync(join(dir, 'de.json'), JSON.stringify({ 'nav.cases': 'Verfahren {count, plural, one {#}' }));
    expect(() => Catalogues.load(dir)).toThrow(CatalogueError);
    expect(() => Catalogues.load(dir)).toThrow(/de\.json, key "nav\.cases": not a valid ICU message/);
    writeFileSync(join(dir, 'de.json'), '{"nav.cases": ');
    expect(() => Catalogues.load(dir)).toThrow(/de\.json: /);
  });
});

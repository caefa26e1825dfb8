import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateLoadError, loadLayout, loadTemplateSources, parseTemplateManifest } from './loader.js';
import { loadQuestionBank } from './questions.js';

const TEMPLATES_DIR = fileURLToPath(new URL('../../../../templates', import.meta.url));

describe('loadTemplateSources on templates/', () => {
  it('loads the templates with their kinds, seven locales and defaults', async () => {
    const bank = await loadQuestionBank(TEMPLATES_DIR);
    const templates = await loadTemplateSources(TEMPLATES_DIR, { questionBank: bank });
    expect(templates.map((t) => [t.key, t.version, t.kind])).toEqual([
      ['ai-inquiry', 2, 'inquiry'],
      ['case-assigned', 1, 'staff_reminder'],
      ['chaser', 2, 'chaser'],
      ['deadline-notice', 2, 'respondent_notice'],
      ['decision-letter', 2, 'respondent_notice'],
      ['letter-partly-refused', 1, 'staff_reminder'],
      ['letter-undelivered', 1, 'staff_reminder'],
      ['manager-escalation', 2, 'manager_escalation'],
      ['reply-received', 2, 'staff_reminder'],
      ['response-acknowledgement', 2, 'respondent_notice'],
      ['staff-reminder', 2, 'staff_reminder'],
    ]);
    for (const t of templates) {
      expect(t.locales).toEqual(['en', 'it', 'ko', 'ja', 'fr', 'de', 'nl']);
      expect(Object.keys(t.sources).sort()).toEqual(['de', 'en', 'fr', 'it', 'ja', 'ko', 'nl']);
      expect(t.description.length).toBeGreaterThan(20);
    }
    const inquiry = templates[0]!;
    // Office hours of the authority: working days from the due date, at 09:00 local.
    expect(inquiry.defaultReminders).toEqual([
      { offset: '-P5WD@09:00', audience: 'assignee' },
      { offset: '-P1WD@09:00', audience: 'assignee' },
      { offset: 'P1WD@09:00', audience: 'manager' },
      { offset: 'P3WD@09:00', audience: 'respondent' },
    ]);
    expect(inquiry.defaultQuestionIds).toEqual(
      expect.arrayContaining([
        'ai.collection.categories',
        'ai.storage_location.countries',
        'ai.transparency.scraping_notice',
      ]),
    );
  });

  it('gives each template the shared layout, keyed by file name without .liquid', async () => {
    const layout = await loadLayout(TEMPLATES_DIR);
    expect(Object.keys(layout).sort()).toEqual([
      'letter.html',
      'letter.txt',
      'notice.html',
      'notice.txt',
      'questions.html',
      'questions.txt',
      'signature.html',
      'signature.txt',
    ]);
    const [first, second] = await loadTemplateSources(TEMPLATES_DIR);
    expect(first!.layout).toEqual(layout);
    expect(first!.layout).not.toBe(second!.layout);
  });
});

describe('loadTemplateSources on a broken folder', () => {
  let dir: string;
  const template = (key: string, manifest: object, files: Record<string, string>) =>
    Promise.all([
      writeFile(join(dir, key, 'template.json'), JSON.stringify(manifest)),
      ...Object.entries(files).map(([name, content]) => writeFile(join(dir, key, name), content)),
    ]);
  const manifest = {
    key: 'memo',
    version: 1,
    kind: 'inquiry',
    description: 'A memo.',
    locales: ['en'],
    defaultQuestionIds: [],
    defaultReminders: [],
  };
  const body =
    "{% layout 'letter' %}{% block subject %}{{ case.reference }}{% endblock %}{% block html %}<p>x</p>{% endblock %}{% block text %}x{% endblock %}";

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docket-templates-'));
    await cp(join(TEMPLATES_DIR, '_layout'), join(dir, '_layout'), { recursive: true });
    await cp(join(TEMPLATES_DIR, 'questions.json'), join(dir, 'questions.json'));
    await mkdir(join(dir, 'memo'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const loadError = async (options = {}) => {
    const error = await loadTemplateSources(dir, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateLoadError);
    return error as TemplateLoadError;
  };

  it('loads a minimal valid template', async () => {
    await template('memo', manifest, { 'en.liquid': body });
    const [memo] = await loadTemplateSources(dir);
    expect(memo).toMatchObject({ key: 'memo', locales: ['en'], sources: { en: body } });
  });

  it('lists every manifest problem', async () => {
    await template(
      'memo',
      {
        ...manifest,
        kind: 'letter',
        version: '1',
        locales: ['en', 'en'],
        defaultReminders: [{ offset: '7 days', audience: 'everyone' }],
        colour: 'blue',
      },
      { 'en.liquid': body },
    );
    expect((await loadError()).problems).toEqual([
      'unknown field "colour"',
      '"version" must be a positive integer',
      '"kind" must be one of inquiry, chaser, staff_reminder, manager_escalation, respondent_notice',
      '"locales" must be a non-empty list of distinct locale codes',
      'defaultReminders[0].offset must be an office offset such as "-P1WD@09:00" or a signed ISO 8601 duration such as "-P7D"',
      'defaultReminders[0].audience must be one of assignee, manager, respondent',
    ]);
  });

  it('checks that declared locales and files match and that the key is the folder name', async () => {
    await template(
      'memo',
      { ...manifest, key: 'note', locales: ['en', 'it'] },
      { 'en.liquid': body, 'fr.liquid': body },
    );
    expect((await loadError()).problems).toEqual([
      'key "note" differs from the folder name "memo"',
      'fr.liquid is not declared in "locales"',
      'locale "it" is declared but it.liquid is missing',
    ]);
  });

  it('checks default questions against the question bank', async () => {
    await template(
      'memo',
      { ...manifest, defaultQuestionIds: ['ai.collection.categories', 'ai.weather.forecast'] },
      { 'en.liquid': body },
    );
    const bank = await loadQuestionBank(dir);
    expect((await loadError({ questionBank: bank })).problems).toEqual([
      'default question "ai.weather.forecast" is not in the question bank',
    ]);
  });

  it('validates the template as the editor would, with file and line', async () => {
    await template('memo', manifest, { 'en.liquid': body.replace('{{ case.reference }}', '{{ case.number }}') });
    const error = await loadError();
    expect(error.problems).toEqual([
      'en.liquid:1:44: Unknown variable "case.number". Available: case.reference, case.title, case.legalBasis, case.url',
    ]);
    expect(error.message).toContain(`Invalid template ${join(dir, 'memo')}`);
  });

  it('says which file it could not read', async () => {
    await writeFile(join(dir, 'memo', 'template.json'), '{ not json');
    expect((await loadError()).message).toMatch(/^Cannot read .*memo\/template\.json: /);
  });
});

describe('parseTemplateManifest', () => {
  it('rejects something that is not an object', () => {
    expect(() => parseTemplateManifest(['x'], 'x/template.json')).toThrow('x/template.json must be a JSON object');
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { LanguageContext, LANGUAGES } from '#docket/i18n';
import { templateDescription } from './labels.js';

const builtIn = readdirSync('templates', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => JSON.parse(readFileSync(`templates/${entry.name}/template.json`, 'utf8')) as TemplateManifest);

interface TemplateManifest {
  key: string;
  description: string;
}

describe('templateDescription', () => {
  it("shows Docket's own templates described in the page's language, each in every language", () => {
    const aiInquiry = builtIn.find((template) => template.key === 'ai-inquiry')!;
    expect(LanguageContext.run('it', () => templateDescription(aiInquiry))).toMatch(
      /^Richiesta di informazioni iniziale a un fornitore di sistemi di IA/,
    );
    expect(LanguageContext.run('en', () => templateDescription(aiInquiry))).toBe(aiInquiry.description);
    for (const template of builtIn)
      for (const language of LANGUAGES.filter((code) => code !== 'en')) {
        const shown = LanguageContext.run(language, () => templateDescription(template));
        expect({ key: template.key, language, translated: shown !== template.description }).toEqual({
          key: template.key,
          language,
          translated: true,
        });
      }
  });

  it('shows a description an admin wrote as written, in any language', () => {
    const written = {
      key: 'ai-inquiry',
      description: 'Richiesta di informazioni ai fornitori di chatbot (versione 2026)',
    };
    expect(LanguageContext.run('ko', () => templateDescription(written))).toBe(written.description);
    expect(templateDescription({ key: 'local-template', description: 'Our own' })).toBe('Our own');
  });
});

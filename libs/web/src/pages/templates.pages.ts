import { createHash } from 'node:crypto';
import { Body, Get, NotFoundException, Param, Post } from '@nestjs/common';
import {
  TemplateRegistry,
  TemplateVersionRequest,
  type NewTemplateVersion,
  type RenderedLetter,
  type TemplateDefinition,
} from '#docket/correspondence';
import { t } from '#docket/i18n';
import { Roles, type FieldError } from '#docket/platform';
import { fieldErrorText, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { fieldErrorsOf, localeLabel, validateInput } from './page-helpers.js';
import { templateDescription } from '../labels.js';

const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const kindLabel = (kind: string) => t(`templateKind.${kind}`);

const sourceField = (locale: string) => `source_${locale}`;

interface EditState {
  change: NewTemplateVersion;
  previews?: (RenderedLetter & { locale: string })[];
  errors?: FormErrors;
  /** Messages by form field, every one of them (a locale file can have several problems). */
  issues?: Record<string, string[]>;
}

/** The authority's letter templates: list, edit as a new version, preview with the sample case, save. */
@Page('admin/templates')
@Roles('admin')
export class TemplatePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly templates: TemplateRegistry,
  ) {}

  @Get()
  async list() {
    const templates = await this.templates.list();
    return this.pages.render('admin/templates', {
      title: t('nav.templates'),
      templates: templates.map((template) => ({
        key: template.key,
        href: `/admin/templates/${template.key}`,
        kind: kindLabel(template.kind),
        version: template.version,
        locales: template.locales.join(', '),
        description: templateDescription(template),
      })),
    });
  }

  @Get(':key')
  async edit(@Param('key') key: string) {
    const template = await this.resolve(key);
    return this.editPage(template, { change: { sources: template.sources, description: template.description } });
  }

  @Post(':key/preview')
  async preview(@Param('key') key: string, @Body() body: Record<string, unknown>) {
    const template = await this.resolve(key);
    const change = changeOf(template, body);
    try {
      await validateInput(TemplateVersionRequest, { ...change });
      return await this.editPage(template, { change, previews: await this.templates.previewVersion(key, change) });
    } catch (error) {
      return this.editPage(template, { change, ...this.problems(template, error) }, 400);
    }
  }

  @Post(':key')
  async save(@Param('key') key: string, @Body() body: Record<string, unknown>) {
    const template = await this.resolve(key);
    const change = changeOf(template, body);
    try {
      await validateInput(TemplateVersionRequest, { ...change });
      if (formValues(body, ['previewed']).previewed !== fingerprint(change)) {
        // Saving what nobody has looked at: show the preview of exactly this text first.
        const previews = await this.templates.previewVersion(key, change);
        const errors = noErrors();
        errors.form = 'template';
        errors.summary.push({
          field: null,
          href: 'template-form',
          message: t('templates.changedAfterPreview'),
        });
        return await this.editPage(template, { change, previews, errors }, 409);
      }
      const saved = await this.templates.saveVersion(key, change);
      return this.pages.redirect(
        '/admin/templates',
        t('templates.flash.saved', { version: saved.version, key: saved.key }),
      );
    } catch (error) {
      return this.editPage(template, { change, ...this.problems(template, error) }, 400);
    }
  }

  private async resolve(key: string): Promise<TemplateDefinition> {
    if (!KEY.test(key)) throw new NotFoundException(t('templates.noSuchTemplate'));
    return this.templates.resolve(key);
  }

  /** Every problem of the proposed version, by the locale's field and line; other problems for the whole form. */
  private problems(template: TemplateDefinition, error: unknown): Pick<EditState, 'errors' | 'issues'> {
    const fields = fieldErrorsOf(error);
    if (!fields) return { errors: formErrors(error, { form: 'template' }) };
    const errors = noErrors();
    errors.form = 'template';
    const issues: Record<string, string[]> = {};
    const own = (problem: FieldError) => {
      const locale = /^sources\.([a-z]{2,3}(?:-[A-Za-z0-9]+)*)$/.exec(problem.field)?.[1];
      return locale && template.locales.includes(locale) ? locale : null;
    };
    for (const problem of fields) {
      const words = fieldErrorText(problem);
      const message = words.charAt(0).toUpperCase() + words.slice(1);
      if (problem.field === 'description') {
        errors.fields.description ??= t('templates.error.description');
        errors.summary.push({ field: 'description', href: 'template-description', message: errors.fields.description });
        continue;
      }
      const locale = own(problem);
      if (!locale) {
        errors.summary.push({
          field: null,
          href: 'template-form',
          message: problem.field.startsWith('sources.')
            ? `${problem.field.slice('sources.'.length)}: ${message}`
            : message,
        });
        continue;
      }
      const field = sourceField(locale);
      (issues[field] ??= []).push(message);
      errors.fields[field] ??= message;
      errors.summary.push({ field, href: `template-${field}`, message: `${localeLabel(locale)}: ${message}` });
    }
    return { errors, issues };
  }

  private editPage(template: TemplateDefinition, state: EditState, status = 200) {
    const { change } = state;
    return this.pages.render(
      'admin/template-edit',
      {
        title: t('templates.titleOf', { key: template.key }),
        template: {
          key: template.key,
          kind: kindLabel(template.kind),
          version: template.version,
          nextVersion: template.version + 1,
        },
        description: change.description ?? '',
        sources: template.locales.map((locale) => {
          const name = sourceField(locale);
          return {
            locale,
            name,
            id: `template-${name}`,
            label: localeLabel(locale),
            value: change.sources[locale] ?? '',
            issues: state.issues?.[name] ?? [],
          };
        }),
        previews: state.previews?.map((letter) => ({ ...letter, label: localeLabel(letter.locale) })) ?? null,
        previewed: state.previews ? fingerprint(change) : null,
        errors: state.errors ?? noErrors(),
      },
      { status },
    );
  }
}

/** The proposed version from the form: one source per locale of the template in use. */
function changeOf(template: TemplateDefinition, body: Record<string, unknown>): NewTemplateVersion {
  const values = formValues(body, ['description', ...template.locales.map(sourceField)]);
  // Browsers send textarea lines with CRLF; the files under templates/ use LF.
  const sources = Object.fromEntries(
    template.locales.map((locale) => [locale, values[sourceField(locale)].replace(/\r\n?/g, '\n')]),
  );
  const description = values.description.trim();
  return { sources, description: description || undefined };
}

function fingerprint(change: NewTemplateVersion): string {
  return createHash('sha256')
    .update(JSON.stringify([change.description ?? null, Object.entries(change.sources)]))
    .digest('base64url');
}

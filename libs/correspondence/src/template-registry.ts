import { resolve } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { fontProblem } from '#docket/documents';
import {
  InvalidInput,
  mapInSequence,
  NotFound,
  RequestContext,
  RUNTIME,
  UnitOfWork,
  ValidationProblem,
  type FieldError,
  type Runtime,
} from '#docket/platform';
import { AuthorityQuestionRepository } from './authority-question.repository.js';
import type { TemplateVersion } from './template-version.entity.js';
import { TemplateVersionRepository } from './template-version.repository.js';
import {
  findQuestion,
  loadLayout,
  loadQuestionBank,
  loadTemplateSources,
  RenderPool,
  sampleLetterContext,
  validateTemplateSource,
  type QuestionBank,
  type LetterContext,
  type RenderedLetter,
  type TemplateDefinition,
} from './templating/index.js';

export interface NewTemplateVersion {
  sources: Record<string, string>;
  description?: string;
  defaultQuestionIds?: string[];
}

/**
 * The templates an authority can use: the reviewed files under templates/ (version 1 and up), and the
 * versions its staff saved on top of them. The newest version of a key is the one in use.
 */
@Injectable()
export class TemplateRegistry implements OnModuleInit, OnModuleDestroy {
  /** Threads that render what people wrote (previews, checks before saving): the event loop never runs it. */
  private readonly pool = new RenderPool();

  private files: TemplateDefinition[] = [];
  private layout: Record<string, string> = {};
  private bank!: QuestionBank;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly versions: TemplateVersionRepository,
    private readonly questions: AuthorityQuestionRepository,
    private readonly audit: AuditService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  onModuleDestroy(): Promise<void> {
    return this.pool.close();
  }

  /** One letter of a template rendered in a render thread, within the limits (a TemplateRenderError otherwise). */
  renderInThread(template: TemplateDefinition, locale: string, context: LetterContext): Promise<RenderedLetter> {
    return this.pool.renderOne(template, locale, context);
  }

  async onModuleInit(): Promise<void> {
    const dir = resolve(this.runtime.config.DOCKET_TEMPLATES_DIR);
    this.bank = await loadQuestionBank(dir);
    this.files = await loadTemplateSources(dir, { questionBank: this.bank });
    this.layout = await loadLayout(dir);
  }

  /** The shared question bank (templates/questions.json), the same for every authority and read-only. */
  questionBank(): QuestionBank {
    return this.bank;
  }

  /**
   * The questions the caller's authority can put in a new letter: the shared bank, then its own questions in use
   * (newest version of each, retired ones left out).
   */
  async bankFor(): Promise<QuestionBank> {
    const own = await RequestContext.readOnce(`question-bank:${RequestContext.authorityId()}`, () =>
      this.questions.current(),
    );
    const inUse = own.filter((question) => !question.retired);
    if (inUse.length === 0) return this.bank;
    return {
      ...this.bank,
      questions: [
        ...this.bank.questions,
        ...inUse.map((question) => ({ id: question.questionId, topic: question.topic, text: question.text })),
      ],
    };
  }

  /** Every template key with its newest version for the caller's authority. */
  async list(): Promise<TemplateDefinition[]> {
    return mapInSequence(this.files, (file) => this.resolve(file.key));
  }

  /** The version in use (newest), or a given version, of a template for the caller's authority. */
  async resolve(key: string, version?: number): Promise<TemplateDefinition> {
    const file = this.files.find((definition) => definition.key === key);
    if (!file)
      throw new NotFound(
        `There is no template "${key}". Known templates: ${this.files.map((f) => f.key).join(', ')}.`,
      ).withMessage('problem.templates.unknown', { key, known: this.files.map((f) => f.key).join(', ') });
    const saved = await RequestContext.readOnce(
      `template:${RequestContext.authorityId()}:${key}@${version ?? 'newest'}`,
      () => this.versions.newest(key, version),
    );
    if (!saved) {
      if (version !== undefined && version !== file.version)
        throw new NotFound(`Template "${key}" has no version ${version}.`).withMessage('problem.templates.noVersion', {
          key,
          version,
        });
      return file;
    }
    return this.definitionOf(file, saved);
  }

  /** The version in use (newest) of several templates for the caller's authority, with one query. */
  async resolveMany(keys: string[]): Promise<Map<string, TemplateDefinition>> {
    const files = [...new Set(keys)].map((key) => {
      const file = this.files.find((definition) => definition.key === key);
      if (!file)
        throw new NotFound(
          `There is no template "${key}". Known templates: ${this.files.map((f) => f.key).join(', ')}.`,
        ).withMessage('problem.templates.unknown', { key, known: this.files.map((f) => f.key).join(', ') });
      return file;
    });
    if (files.length === 0) return new Map();
    const saved = await this.versions.newestOf(files.map((file) => file.key));
    return new Map(
      files.map((file) => {
        const newest = saved.find((version) => version.key === file.key);
        return [file.key, newest ? this.definitionOf(file, newest) : file];
      }),
    );
  }

  private definitionOf(file: TemplateDefinition, saved: TemplateVersion): TemplateDefinition {
    return {
      ...file,
      version: saved.version,
      description: saved.description,
      sources: saved.sources,
      locales: Object.keys(saved.sources).sort(),
      defaultQuestionIds: saved.defaultQuestionIds,
      defaultReminders: saved.defaultReminders,
      layout: this.layout,
    };
  }

  /**
   * Checks a proposed version without saving it: the problems a person must fix, by locale file. Every locale of the
   * version must be one its questions are written in (the default questions, or for a template without defaults the
   * questions of the sample case), else each preview and letter in it would fail.
   */
  check(key: string, change: NewTemplateVersion, bank: QuestionBank, current?: TemplateDefinition): void {
    const file = this.files.find((definition) => definition.key === key);
    if (!file) throw new NotFound(`There is no template "${key}".`).withMessage('problem.templates.notFound', { key });
    if (Object.keys(change.sources).length === 0)
      throw new InvalidInput('A template version needs at least one locale.').withMessage('problem.templates.noLocale');
    const result = validateTemplateSource({ sources: change.sources, layout: this.layout });
    const defaults = change.defaultQuestionIds ?? current?.defaultQuestionIds ?? file.defaultQuestionIds;
    const unknownQuestions = defaults.filter((id) => !findQuestion(bank, id));
    const asked = defaults.length ? defaults : bank.questions.slice(0, 3).map((question) => question.id);
    const untranslated = Object.keys(change.sources).flatMap((locale) => {
      const missing = asked.filter((id) => {
        const question = findQuestion(bank, id);
        return question !== undefined && questionTextIn(question.text, locale) === undefined;
      });
      return missing.length
        ? [
            {
              field: `sources.${locale}`,
              message: `the question${missing.length > 1 ? 's' : ''} ${missing.map((id) => `"${id}"`).join(', ')} ${missing.length > 1 ? 'have' : 'has'} no text in "${locale}": add ${missing.length > 1 ? 'them' : 'it'} in that language (questions of your authority) or leave this locale out`,
              key: 'templates.refusal.untranslated',
              params: { count: missing.length, questions: missing.join(', '), locale },
            },
          ]
        : [];
    });
    const errors = [
      ...result.issues.map((issue) => ({
        field: `sources.${issue.file.replace(/\.liquid$/, '')}`,
        message: `${issue.line ? `line ${issue.line}: ` : ''}${issue.message}`,
        // The template language's diagnostic (Liquid's words) stays as it is, inside the catalogue's sentence.
        key: 'templates.refusal.issue',
        params: { line: issue.line ?? 0, issue: issue.message },
      })),
      ...unknownQuestions.map((id) => ({
        field: 'defaultQuestionIds',
        message: `question "${id}" is not in the question bank`,
        key: 'inquiries.refusal.unknownQuestion',
        params: { id },
      })),
      ...untranslated,
    ];
    if (errors.length)
      throw new ValidationProblem(errors, 'The template has errors; nothing was saved.').withMessage(
        'problem.templates.invalid',
      );
  }

  /**
   * A proposed version rendered in each of its locales with the sample case (the 2025 scenario), after
   * the same checks as saving; nothing is stored. Problems come back as a ValidationProblem by locale.
   */
  async previewVersion(key: string, change: NewTemplateVersion): Promise<(RenderedLetter & { locale: string })[]> {
    const [current, bank] = await Promise.all([this.resolve(key), this.bankFor()]);
    this.check(key, change, bank, current);
    const proposed: TemplateDefinition = {
      ...current,
      sources: change.sources,
      locales: Object.keys(change.sources).sort(),
      defaultQuestionIds: change.defaultQuestionIds ?? current.defaultQuestionIds,
      layout: this.layout,
    };
    const letters: (RenderedLetter & { locale: string })[] = [];
    const errors: FieldError[] = [];
    // Every locale in one job of a render thread, with one time budget.
    const outcomes = await this.pool.render(
      proposed,
      proposed.locales.map((locale) => ({ locale, context: sampleLetterContext(proposed, locale, bank) })),
    );
    proposed.locales.forEach((locale, index) => {
      const outcome = outcomes[index]!;
      if ('letter' in outcome) {
        // Letters to organisations travel as PDF documents: every character needs a font Docket embeds.
        const fonts =
          proposed.kind === 'inquiry' || proposed.kind === 'chaser' ? fontProblem(outcome.letter.text, locale) : null;
        if (fonts)
          errors.push({
            field: `sources.${locale}`,
            message: `the PDF document cannot be set: ${fonts}`,
            key: 'templates.refusal.fonts',
            params: { problem: fonts },
          });
        else letters.push({ locale, ...outcome.letter });
        return;
      }
      const { issue } = outcome;
      const where = [issue.file !== `${locale}.liquid` ? issue.file : null, issue.line ? `line ${issue.line}` : null]
        .filter(Boolean)
        .join(', ');
      errors.push({
        field: `sources.${locale}`,
        message: `${where ? `${where}: ` : ''}${issue.message}`,
        key: 'templates.refusal.sampleIssue',
        params: { where: where || 'none', issue: issue.message },
      });
    });
    if (errors.length)
      throw new ValidationProblem(
        errors,
        'The template could not be rendered with the sample case; nothing was saved.',
      ).withMessage('problem.templates.sampleFailed');
    return letters;
  }

  /** Only a version that renders with the sample case within the limits is saved (the API need not preview first). */
  async saveVersion(key: string, change: NewTemplateVersion): Promise<TemplateDefinition> {
    await this.previewVersion(key, change);
    return this.unitOfWork.run(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `template:${RequestContext.authorityId()}:${key}`,
      ]);
      const current = await this.resolve(key);
      const saved = await this.versions.add({
        key,
        version: current.version + 1,
        kind: current.kind,
        description: change.description ?? current.description,
        sources: change.sources,
        defaultQuestionIds: change.defaultQuestionIds ?? current.defaultQuestionIds,
        defaultReminders: current.defaultReminders,
        createdBy: RequestContext.actor().label,
      });
      await this.audit.record({
        action: 'template.versioned',
        entityType: 'template',
        entityId: `${key}@${saved.version}`,
        after: { key, version: saved.version, locales: Object.keys(change.sources) },
      });
      return this.resolve(key);
    });
  }
}

/** A question's text in `locale`, or in its language for a regional one (`de-AT` → `de`); never another language. */
export function questionTextIn(text: Record<string, string>, locale: string): string | undefined {
  if (Object.hasOwn(text, locale)) return text[locale];
  const language = locale.split('-')[0]!;
  return Object.hasOwn(text, language) ? text[language] : undefined;
}

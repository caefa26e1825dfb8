import { Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { IdentityService } from '#docket/identity';
import { Conflict, NotFound, RequestContext, UnitOfWork, ValidationProblem, type FieldError } from '#docket/platform';
import type { AuthorityQuestion } from './authority-question.entity.js';
import { AuthorityQuestionRepository } from './authority-question.repository.js';
import { questionTextIn, TemplateRegistry } from './template-registry.js';

const noQuestion = (id: string) =>
  new NotFound(`There is no question "${id}" in your authority.`).withMessage('problem.questions.notFound', { id });
import { findQuestion, intlLocale, QUESTION_TOPICS, type QuestionTopic } from './templating/index.js';

export interface QuestionInput {
  id?: string;
  topic: string;
  text: Record<string, string>;
}

export interface QuestionView {
  id: string;
  topic: QuestionTopic;
  text: Record<string, string>;
  /** `shared`: the bank every authority uses (read-only); `authority`: a question of the caller's authority. */
  source: 'shared' | 'authority';
  /** For the authority's own: the version in use (each edit adds one), whether it is retired, who saved it, when. */
  version?: number;
  retired?: boolean;
  updatedBy?: string;
  updatedAt?: string;
}

const ID_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;
const LOCALE_PATTERN = /^[a-z]{2,3}(-[A-Z]{2})?$/;
export const MAX_QUESTION_TEXT = 4000;

/** The problems of a proposed question of `authorityLocale`'s authority, by field; pure. */
export function questionErrors(input: QuestionInput, authorityLocale: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!QUESTION_TOPICS.includes(input.topic as QuestionTopic))
    errors.push({
      field: 'topic',
      message: `topic must be one of ${QUESTION_TOPICS.join(', ')}`,
      key: 'questions.refusal.topic',
      params: { topics: QUESTION_TOPICS.join(', ') },
    });
  const text = input.text;
  if (typeof text !== 'object' || text === null || Array.isArray(text) || Object.keys(text).length === 0) {
    errors.push({
      field: 'text',
      message: 'text must map at least one locale (e.g. "it") to the question',
      key: 'questions.refusal.noText',
    });
    return errors;
  }
  for (const [locale, value] of Object.entries(text)) {
    let valid = LOCALE_PATTERN.test(locale);
    if (valid) {
      try {
        intlLocale(locale);
      } catch {
        valid = false;
      }
    }
    if (!valid)
      errors.push({
        field: `text.${locale}`,
        message: `"${locale}" is not a language code such as "it" or "de-AT"`,
        key: 'questions.refusal.locale',
        params: { locale },
      });
    else if (typeof value !== 'string' || value.trim() === '')
      errors.push({
        field: `text.${locale}`,
        message: 'the text must not be empty',
        key: 'questions.refusal.emptyText',
      });
    else if (value.length > MAX_QUESTION_TEXT)
      errors.push({
        field: `text.${locale}`,
        message: `the text must be at most ${MAX_QUESTION_TEXT} characters`,
        key: 'validation.maxLength',
        params: { max: MAX_QUESTION_TEXT },
      });
  }
  // Named by the language (`it`), which is enough for a regional authority locale (`it-IT`).
  const language = authorityLocale.split('-')[0]!;
  if (questionTextIn(text, authorityLocale) === undefined)
    errors.push({
      field: `text.${language}`,
      message: `a question of your authority needs its text in "${language}", your authority's language`,
      key: 'questions.refusal.authorityLanguage',
      params: { language },
    });
  return errors;
}

/**
 * Questions of an authority's own: added, edited (each edit a new version) and retired by its admins; used in its
 * letters beside the shared bank, never seen by another authority. A sent letter keeps the text it was sent with.
 */
@Injectable()
export class QuestionsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly templates: TemplateRegistry,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly questions: AuthorityQuestionRepository,
  ) {}

  /** The shared bank, then the authority's own questions (newest version of each, retired ones marked). */
  async list(): Promise<QuestionView[]> {
    const shared = this.templates
      .questionBank()
      .questions.map((question): QuestionView => ({ ...question, text: { ...question.text }, source: 'shared' }));
    return [...shared, ...(await this.current()).map(ownView)];
  }

  /** A question of the bank or of the caller's authority, with every version of the latter (oldest first). */
  async get(id: string): Promise<QuestionView & { versions?: QuestionView[] }> {
    const shared = findQuestion(this.templates.questionBank(), id);
    if (shared) return { ...shared, text: { ...shared.text }, source: 'shared' };
    const versions = await this.questions.versions(id);
    if (versions.length === 0) throw noQuestion(id);
    return { ...ownView(versions[versions.length - 1]!), versions: versions.map(ownView) };
  }

  async create(input: QuestionInput): Promise<QuestionView> {
    const id = input.id ?? '';
    const errors: FieldError[] = [];
    if (!ID_PATTERN.test(id) || id.length > 100)
      errors.push({
        field: 'id',
        message:
          'id must be lower-case words joined by dots, e.g. "gpdp.minors.school_accounts" (at most 100 characters)',
        key: 'questions.refusal.id',
      });
    else if (id.startsWith('ai.'))
      errors.push({
        field: 'id',
        message: 'ids starting with "ai." belong to the shared question bank; choose another',
        key: 'questions.refusal.sharedId',
      });
    const authority = await this.identity.currentAuthority();
    errors.push(...questionErrors(input, authority.locale));
    if (errors.length)
      throw new ValidationProblem(errors, 'The question has errors; nothing was saved.').withMessage(
        'problem.questions.invalid',
      );
    return this.unitOfWork.run(async () => {
      await this.lock(id);
      const existing = await this.newest(id);
      if (existing)
        throw new Conflict(
          existing.retired
            ? `Your authority had a question "${id}", now retired: an id is never used for another question; choose another id.`
            : `Your authority already has a question "${id}": change it with PUT /api/v1/questions/${id}.`,
        ).withMessage(existing.retired ? 'problem.questions.idRetired' : 'problem.questions.idTaken', { id });
      return ownView(await this.saveVersion(id, 1, input.topic as QuestionTopic, input.text, false));
    });
  }

  /** A new version with the given topic and text; letters already sent keep the text they had. */
  async update(id: string, input: QuestionInput): Promise<QuestionView> {
    if (findQuestion(this.templates.questionBank(), id))
      throw new Conflict(`"${id}" is a question of the shared bank, which no authority can change.`).withMessage(
        'problem.questions.sharedUnchangeable',
        { id },
      );
    const authority = await this.identity.currentAuthority();
    const errors = questionErrors(input, authority.locale);
    if (errors.length)
      throw new ValidationProblem(errors, 'The question has errors; nothing was saved.').withMessage(
        'problem.questions.invalid',
      );
    return this.unitOfWork.run(async () => {
      await this.lock(id);
      const current = await this.requireInUse(id);
      return ownView(await this.saveVersion(id, current.version + 1, input.topic as QuestionTopic, input.text, false));
    });
  }

  /** Retires a question: no new letter can ask it; sent letters, their chasers and answers keep it. */
  async retire(id: string): Promise<QuestionView> {
    if (findQuestion(this.templates.questionBank(), id))
      throw new Conflict(`"${id}" is a question of the shared bank, which no authority can retire.`).withMessage(
        'problem.questions.sharedUnretirable',
        { id },
      );
    return this.unitOfWork.run(async () => {
      await this.lock(id);
      const current = await this.newest(id);
      if (!current) throw noQuestion(id);
      if (current.retired) return ownView(current);
      return ownView(await this.saveVersion(id, current.version + 1, current.topic, current.text, true));
    });
  }

  private current(): Promise<AuthorityQuestion[]> {
    return this.questions.current();
  }

  /** Held until the transaction the caller runs in ends. */
  private lock(id: string): Promise<unknown> {
    return this.unitOfWork
      .manager()
      .query('SELECT pg_advisory_xact_lock(hashtext($1))', [`question:${RequestContext.authorityId()}:${id}`]);
  }

  private newest(id: string): Promise<AuthorityQuestion | null> {
    return this.questions.newest(id);
  }

  private async requireInUse(id: string): Promise<AuthorityQuestion> {
    const current = await this.newest(id);
    if (!current) throw noQuestion(id);
    if (current.retired)
      throw new Conflict(`The question "${id}" is retired; add a question with another id instead.`).withMessage(
        'problem.questions.retired',
        { id },
      );
    return current;
  }

  private async saveVersion(
    id: string,
    version: number,
    topic: QuestionTopic,
    text: Record<string, string>,
    retired: boolean,
  ): Promise<AuthorityQuestion> {
    const trimmed = Object.fromEntries(Object.entries(text).map(([locale, value]) => [locale, value.trim()]));
    const saved = await this.questions.add({
      questionId: id,
      version,
      topic,
      text: trimmed,
      retired,
      createdBy: RequestContext.actor().label,
    });
    await this.audit.record({
      action: retired ? 'question.retired' : version === 1 ? 'question.created' : 'question.versioned',
      entityType: 'question',
      entityId: `${id}@${version}`,
      after: { id, version, topic, text: trimmed, retired },
    });
    return saved;
  }
}

function ownView(question: AuthorityQuestion): QuestionView {
  return {
    id: question.questionId,
    topic: question.topic,
    text: { ...question.text },
    source: 'authority',
    version: question.version,
    retired: question.retired,
    updatedBy: question.createdBy,
    updatedAt: new Date(question.createdAt).toISOString(),
  };
}

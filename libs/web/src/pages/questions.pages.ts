import { Body, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { QUESTION_TOPICS, QuestionsService, type QuestionInput, type QuestionView } from '#docket/correspondence';
import { t } from '#docket/i18n';
import { Roles } from '#docket/platform';
import { formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { localeLabel } from './page-helpers.js';

/** The languages a question of the authority can be written in on this page: those of the letters. */
const LOCALES = ['en', 'it', 'ko', 'ja', 'fr', 'de', 'nl'];
const ID = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;
const textField = (locale: string) => `text_${locale}`;
const topicLabel = (topic: string) => t(`questionTopic.${topic}`);
/** The service names a text `text.<locale>`; the form's field is `text_<locale>`. */
const RENAME = Object.fromEntries(LOCALES.map((locale) => [`text.${locale}`, textField(locale)]));

/** The questions of the authority's own beside the shared bank: list, add, edit as a new version, retire. */
@Page('admin/questions')
@Roles('admin')
export class QuestionPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly questions: QuestionsService,
  ) {}

  @Get()
  async list() {
    return this.listPage({ values: {}, errors: noErrors() });
  }

  @Post()
  async add(@Body() body: Record<string, unknown>) {
    const input = inputOf(body, true);
    try {
      const saved = await this.questions.create(input);
      return this.pages.redirect('/admin/questions', t('questions.flash.added', { id: saved.id }));
    } catch (error) {
      return this.listPage(
        { values: valuesOf(body, true), errors: formErrors(error, { form: 'question', rename: RENAME }) },
        400,
      );
    }
  }

  @Get(':id')
  async edit(@Param('id') id: string) {
    const question = await this.own(id);
    return this.editPage(question, {
      values: {
        topic: question.topic,
        ...Object.fromEntries(LOCALES.map((l) => [textField(l), question.text[l] ?? ''])),
      },
      errors: noErrors(),
    });
  }

  @Post(':id')
  async save(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    const question = await this.own(id);
    try {
      const saved = await this.questions.update(id, inputOf(body, false));
      return this.pages.redirect(
        '/admin/questions',
        t('questions.flash.saved', { version: saved.version, id: saved.id }),
      );
    } catch (error) {
      return this.editPage(
        question,
        { values: valuesOf(body, false), errors: formErrors(error, { form: 'question', rename: RENAME }) },
        400,
      );
    }
  }

  @Post(':id/retire')
  async retire(@Param('id') id: string) {
    const question = await this.own(id);
    await this.questions.retire(question.id);
    return this.pages.redirect('/admin/questions', t('questions.flash.retired', { id: question.id }));
  }

  private async own(id: string): Promise<QuestionView> {
    if (!ID.test(id)) throw new NotFoundException(t('questions.noSuchQuestion'));
    const question = await this.questions.get(id);
    if (question.source !== 'authority') throw new NotFoundException(t('questions.sharedReadOnly'));
    return question;
  }

  private async listPage(form: { values: Record<string, string>; errors: FormErrors }, status = 200) {
    const all = await this.questions.list();
    const own = all.filter((question) => question.source === 'authority');
    return this.pages.render(
      'admin/questions',
      {
        title: t('nav.questions'),
        own: own.map((question) => ({
          id: question.id,
          href: `/admin/questions/${question.id}`,
          topic: topicLabel(question.topic),
          version: question.version,
          retired: question.retired,
          languages: Object.keys(question.text).sort().join(', '),
          text: firstText(question),
        })),
        shared: all.filter((question) => question.source === 'shared').length,
        ...this.formOf(form),
      },
      { status },
    );
  }

  private editPage(question: QuestionView, form: { values: Record<string, string>; errors: FormErrors }, status = 200) {
    return this.pages.render(
      'admin/question-edit',
      {
        title: t('questions.titleOf', { id: question.id }),
        question: {
          id: question.id,
          version: question.version,
          nextVersion: (question.version ?? 0) + 1,
          retired: question.retired,
        },
        ...this.formOf(form),
      },
      { status },
    );
  }

  private formOf(form: { values: Record<string, string>; errors: FormErrors }) {
    return {
      values: form.values,
      errors: form.errors,
      topics: QUESTION_TOPICS.map((topic) => ({ value: topic, label: topicLabel(topic) })),
      texts: LOCALES.map((locale) => ({
        name: textField(locale),
        label: localeLabel(locale),
        locale,
        value: form.values[textField(locale)] ?? '',
        error: form.errors.fields[textField(locale)],
      })),
    };
  }
}

function valuesOf(body: unknown, withId: boolean): Record<string, string> {
  return formValues(body, [...(withId ? ['id'] : []), 'topic', ...LOCALES.map(textField)]);
}

/** Languages left blank are not part of the question. */
function inputOf(body: unknown, withId: boolean): QuestionInput {
  const values = valuesOf(body, withId);
  const text = Object.fromEntries(
    LOCALES.flatMap((locale) => (values[textField(locale)]!.trim() ? [[locale, values[textField(locale)]!]] : [])),
  );
  return { ...(withId ? { id: values.id!.trim() } : {}), topic: values.topic!, text };
}

function firstText(question: QuestionView): string {
  const text = Object.values(question.text)[0] ?? '';
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

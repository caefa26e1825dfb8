export * from './types.js';
export {
  QUESTION_BANK_FILE,
  QUESTION_TOPICS,
  QuestionBankError,
  findQuestion,
  loadQuestionBank,
  localiseQuestions,
  parseQuestionBank,
  type Question,
  type QuestionBank,
  type QuestionTopic,
} from './questions.js';
export { formatDeadline, intlLocale } from './dates.js';
export { RENDER_LIMITS, type LetterPart } from './engine.js';
export { TemplateRenderError, renderBudget, renderLetter, type RenderBudget } from './renderer.js';
export { RENDER_THREAD_HEAP_MB, RenderPool } from './render-pool.js';
export { validateTemplateSource } from './validate.js';
export { LETTER_VARIABLES, type VariableShape } from './variables.js';
export {
  LAYOUT_DIR,
  TEMPLATE_MANIFEST,
  TemplateLoadError,
  loadLayout,
  loadTemplateSources,
  parseTemplateManifest,
  type LoadTemplateOptions,
  type TemplateManifest,
} from './loader.js';
export { buildLetterContext, type LetterContextInput } from './context.js';
export { sampleLetterContext, type SampleOptions } from './sample-context.js';
export { renderAllTemplates, type RenderAllResult } from './render-all.js';

import { t } from '#docket/i18n';
import { ASSESSMENTS } from '#docket/decisions';
import type { FieldError } from '#docket/platform';
import { formValues, type FormErrors } from '../forms.js';
import { labelsOf } from '../labels.js';

/**
 * The questions of an inquiry as a form that assesses a response shows and reads them (fields `answer-N`, `note-N`).
 */
interface AssessedQuestion {
  id: string;
  number: number;
  topic: string;
  text: string;
}

const ASSESSMENT_LABELS = labelsOf('assessment.', ['answered', 'partial', 'insufficient', 'refused', 'not_answered']);

/**
 * What the form sent: the values as entered, a problem for each question left without an assessment, and the answers in
 * the API's shape.
 */
export function readAssessments(questions: readonly AssessedQuestion[], body: Record<string, unknown>) {
  const values = Object.assign(
    {},
    ...questions.map((_, index) => formValues(body, [`answer-${index}`, `note-${index}`])),
  ) as Record<string, string>;
  const problems: FieldError[] = questions.flatMap((question, index) =>
    (ASSESSMENTS as readonly string[]).includes(values[`answer-${index}`])
      ? []
      : [{ field: `answer-${index}`, message: t('decisions.error.assessment', { number: question.number }) }],
  );
  const answers = questions.flatMap((question, index) => {
    const assessment = values[`answer-${index}`];
    const note = values[`note-${index}`].trim();
    return assessment ? [{ questionId: question.id, assessment, ...(note ? { note } : {}) }] : [];
  });
  return { values, problems, answers };
}

/** The questions as the view shows them: a radio per assessment (the one entered checked), the note and the error. */
export function assessmentQuestions(
  questions: readonly AssessedQuestion[],
  values: Record<string, string>,
  errors: FormErrors,
) {
  return questions.map((question, index) => ({
    index,
    number: question.number,
    text: question.text,
    topic: question.topic.replace(/_/g, ' '),
    options: ASSESSMENTS.map((assessment) => ({
      value: assessment,
      label: ASSESSMENT_LABELS[assessment] ?? assessment,
      checked: values[`answer-${index}`] === assessment,
    })),
    note: values[`note-${index}`] ?? '',
    error: errors.fields[`answer-${index}`] ?? null,
  }));
}

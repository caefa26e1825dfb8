import { ConflictException, NotFoundException } from '@nestjs/common';
import { IsInt, IsString, Length, Min } from 'class-validator';
import { LanguageContext } from '#docket/i18n';
import { ProblemException, ValidationProblem } from '#docket/platform';
import { formErrors, formValues, validateForm } from './forms.js';

class ExampleForm {
  @IsString()
  @Length(3, 10)
  reason!: string;

  @IsInt()
  @Min(1)
  count!: number;
}

describe('form helpers', () => {
  it('turns field errors into a summary linking to prefixed field ids, one message per field', () => {
    const errors = formErrors(
      new ValidationProblem([
        { field: 'reason', message: 'reason must be longer than or equal to 3 characters' },
        { field: 'reason', message: 'reason must be a string' },
        { field: 'dueAt', message: 'dueAt has passed' },
        { field: 'calendar', message: 'the calendar is broken' },
      ]),
      {
        form: 'extend',
        rename: { dueAt: 'dueDate' },
        messages: { reason: 'Enter a reason' },
        fields: ['reason', 'dueDate'],
      },
    );
    // The API's name of the field becomes the form's label for it (deadlines/show.liquid: "New due date").
    expect(errors.fields).toEqual({ reason: 'Enter a reason', dueDate: 'New due date has passed' });
    expect(errors.summary).toEqual([
      { field: 'reason', href: 'extend-reason', message: 'Enter a reason' },
      { field: 'dueDate', href: 'extend-dueDate', message: 'New due date has passed' },
      { field: null, href: 'extend-form', message: 'The calendar is broken' },
    ]);
    expect(errors.form).toBe('extend');
  });

  it('puts a refusal without fields on the form or on the field named for it', () => {
    const conflict = new ConflictException('2025-02-17 is already a closure day of GPDP.');
    // Outside a page request the dates read in the default settings (en-GB, UTC).
    expect(formErrors(conflict, { form: 'closure' }).summary).toEqual([
      { field: null, href: 'closure-form', message: 'Monday, 17 February 2025 is already a closure day of GPDP.' },
    ]);
    expect(
      formErrors(conflict, { form: 'closure', problemField: 'date', messages: { date: 'not this one' } }).fields,
    ).toEqual({ date: 'Monday, 17 February 2025 is already a closure day of GPDP.' });
    expect(
      formErrors(new ProblemException(409, 'Conflict', 'A met deadline cannot be extended.')).summary[0],
    ).toMatchObject({ href: 'main-content', message: 'A met deadline cannot be extended.' });
  });

  it('throws on what is not a form error, so that it becomes an error page', () => {
    const notFound = new NotFoundException('nope');
    expect(() => formErrors(notFound)).toThrow(notFound);
    const crash = new Error('database down');
    expect(() => formErrors(crash)).toThrow(crash);
  });

  it('validates a form with the DTO: blanks are missing, numbers converted, other fields ignored', async () => {
    await expect(
      validateForm(
        ExampleForm,
        { reason: ' ok go ', count: '12', mode: 'period', _csrf: 'x' },
        { fields: ['reason', 'count'], numbers: ['count'] },
      ),
    ).resolves.toEqual(Object.assign(new ExampleForm(), { reason: 'ok go', count: 12 }));
    const refusal = await validateForm(
      ExampleForm,
      { reason: '  ', count: 'ten' },
      { fields: ['reason', 'count'], numbers: ['count'] },
    ).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ValidationProblem);
    expect(formErrors(refusal).fields).toEqual({
      reason: 'Reason must be longer than or equal to 3 characters',
      count: 'Count must not be less than 1',
    });
  });

  it('shows a reader of another language the catalogue message of each constraint, with its limits', async () => {
    const refusal = await validateForm(
      ExampleForm,
      { reason: 'x', count: '0' },
      { fields: ['reason', 'count'], numbers: ['count'] },
    ).catch((error: unknown) => error);
    // The first failing constraint of each field: Length(3, 10) and Min(1) with the limits the DTO gives.
    expect(LanguageContext.run('ko', () => formErrors(refusal).fields)).toEqual({
      reason: '3자 이상 10자 이하로 입력하십시오',
      count: '1 이상의 값을 입력하십시오',
    });
    expect(LanguageContext.run('it', () => formErrors(refusal).fields)).toEqual({
      reason: 'Inserire da 3 a 10 caratteri',
      count: 'Inserire un valore pari o superiore a 1',
    });
    // The API keeps its English sentences.
    expect((refusal as ValidationProblem).errors).toEqual([
      { field: 'reason', message: 'reason must be longer than or equal to 3 characters' },
      { field: 'count', message: 'count must not be less than 1' },
    ]);
    expect((refusal as ValidationProblem).extensions).toMatchObject({
      errors: [
        { field: 'reason', message: 'reason must be longer than or equal to 3 characters' },
        { field: 'count', message: 'count must not be less than 1' },
      ],
    });
  });

  it('shows a service refusal without a catalogue message as the general message of its status', () => {
    const conflict = new ProblemException(
      409,
      'Conflict',
      'A met deadline cannot be extended; only a running one can.',
    );
    expect(LanguageContext.run('ja', () => formErrors(conflict).summary[0]?.message)).toBe(
      '現在の状態ではこの操作を行うことができません。ページを再読み込みして最新の状態を確認してください。',
    );
    expect(LanguageContext.run('en', () => formErrors(conflict).summary[0]?.message)).toBe(
      'A met deadline cannot be extended; only a running one can.',
    );
  });

  it('reads the form values back as strings', () => {
    expect(formValues({ email: 'a@b.c', password: ['x'], extra: 'y' }, ['email', 'password', 'missing'])).toEqual({
      email: 'a@b.c',
      password: '',
      missing: '',
    });
  });
});

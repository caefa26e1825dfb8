import { Body, Get, Param, Post, Query, Req } from '@nestjs/common';
import { PERIOD_UNITS } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import {
  AnswersComparedService,
  clockIdOf,
  JointDeadlinesService,
  OpenProcedureRequest,
  PROCEDURE_TYPES,
  ProceduresService,
  STEP_RULES,
  StoredJointDeadlineRequest,
  type ProcedureView,
  type StepKind,
} from '#docket/cooperation';
import { t } from '#docket/i18n';
import { CASE_WRITERS, Clock, Roles } from '#docket/platform';
import { daysBetween, formatDate, formatInstant, localDate } from '../dates.js';
import { explanationText } from '../explanations.js';
import { errorsOf, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { fieldErrorsOf, listOf, requireUuid, settingsOf, validateInput } from './page-helpers.js';

const STAFF = ['admin', 'manager', 'officer', 'viewer'] as const;
const OPEN_FIELDS = ['caseId', 'type', 'subject', 'body'];
const STEP_FIELDS = ['kind', 'body'];
const JOINT_FIELDS = ['label', 'start', 'count', 'unit'];

/** The forms of the procedure page re-shown with what was entered and why it was refused. */
interface ShowForms {
  step?: { values: Record<string, string>; errors: FormErrors };
  message?: { text: string; errors: FormErrors };
  share?: FormErrors;
  joint?: { values: Record<string, string>; errors: FormErrors };
  realign?: { jointId: string; reason: string; errors: FormErrors };
}

/** Cooperation with other authorities: the inbox of procedures, one procedure with its clocks, opening one. */
@Page('procedures')
@Roles(...STAFF)
export class CooperationPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly procedures: ProceduresService,
    private readonly jointDeadlines: JointDeadlinesService,
    private readonly cases: CasesService,
    private readonly clock: Clock,
  ) {}

  @Get()
  async inbox(@Req() req: PageRequest) {
    const settings = settingsOf(req);
    const today = localDate(this.clock.now(), settings.timezone);
    const procedures = await this.procedures.inbox();
    return this.pages.render('cooperation/list', {
      title: t('coop.inbox.title'),
      procedures: procedures.map((item) => ({
        ...item,
        href: `/procedures/${item.id}`,
        next: item.myNextDue && {
          ...item.myNextDue,
          text: formatDate(item.myNextDue.dueDate, settings, 'short'),
          late: Math.max(0, -daysBetween(today, item.myNextDue.dueDate)),
        },
        activity: formatInstant(item.lastActivityAt, settings),
      })),
    });
  }

  @Roles(...CASE_WRITERS)
  @Get('new')
  async openForm(@Query('caseId') caseId?: string) {
    const kase = await this.cases.get(requireUuid(String(caseId ?? ''), 'case'));
    return this.openPage(
      kase,
      { caseId: kase.id, type: 'mutual_assistance', subject: kase.title, body: '' },
      [],
      noErrors(),
    );
  }

  @Roles(...CASE_WRITERS)
  @Post()
  async open(@Body() body: Record<string, unknown>) {
    const values = formValues(body, OPEN_FIELDS);
    const participants = listOf(body.participants);
    const kase = await this.cases.get(requireUuid(values.caseId, 'case'));
    const options = { form: 'open', fields: [...OPEN_FIELDS, 'participants'], messages: {} };
    try {
      const input = await validateInput(OpenProcedureRequest, {
        type: values.type,
        caseId: kase.id,
        organisationId: kase.organisationId,
        participants,
        subject: values.subject,
        ...(values.body.trim() ? { body: values.body } : {}),
      });
      const opened = await this.procedures.open(input);
      return this.pages.redirect(`/procedures/${opened.id}`, t('coop.flash.opened', { reference: opened.reference }));
    } catch (error) {
      const fields = fieldErrorsOf(error);
      return this.openPage(kase, values, participants, fields ? errorsOf(fields, options) : formErrors(error, options));
    }
  }

  @Get(':id')
  async show(@Req() req: PageRequest, @Param('id') id: string) {
    return this.showPage(req, await this.procedures.get(requireUuid(id, 'procedure')), {});
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/steps')
  async step(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'procedure');
    const values = formValues(body, STEP_FIELDS);
    const options = { form: 'step', fields: STEP_FIELDS, messages: {} };
    try {
      if (!values.body.trim()) {
        const errors = errorsOf([{ field: 'body', message: t('coop.error.bodyRequired') }], options);
        return this.showPage(req, await this.procedures.get(id), { step: { values, errors } });
      }
      const updated = await this.procedures.addStep(id, values.kind as StepKind, values.body);
      return this.pages.redirect(`/procedures/${updated.id}`, t('coop.flash.step', { reference: updated.reference }));
    } catch (error) {
      const fields = fieldErrorsOf(error);
      const errors = fields ? errorsOf(fields, options) : formErrors(error, options);
      return this.showPage(req, await this.procedures.get(id), { step: { values, errors } });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/messages')
  async message(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'procedure');
    const { body: text } = formValues(body, ['body']);
    const options = { form: 'message', fields: ['body'], messages: {} };
    if (!text.trim()) {
      const errors = errorsOf([{ field: 'body', message: t('coop.error.bodyRequired') }], options);
      return this.showPage(req, await this.procedures.get(id), { message: { text, errors } });
    }
    try {
      const updated = await this.procedures.addMessage(id, text);
      return this.pages.redirect(
        `/procedures/${updated.id}`,
        t('coop.flash.message', { reference: updated.reference }),
      );
    } catch (error) {
      return this.showPage(req, await this.procedures.get(id), {
        message: { text, errors: formErrors(error, options) },
      });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/documents')
  async shareDocument(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'procedure');
    const { documentId } = formValues(body, ['documentId']);
    const options = { form: 'share', fields: ['documentId'], messages: {} };
    if (!/^[0-9a-f-]{36}$/i.test(documentId)) {
      const errors = errorsOf([{ field: 'documentId', message: t('coop.error.documentRequired') }], options);
      return this.showPage(req, await this.procedures.get(id), { share: errors });
    }
    try {
      const updated = await this.procedures.shareDocument(id, documentId);
      return this.pages.redirect(`/procedures/${updated.id}`, t('coop.flash.shared', { reference: updated.reference }));
    } catch (error) {
      return this.showPage(req, await this.procedures.get(id), { share: formErrors(error, options) });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/joint-deadlines')
  async setJointDeadline(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'procedure');
    const values = formValues(body, JOINT_FIELDS);
    const options = { form: 'joint', fields: JOINT_FIELDS, messages: {} };
    try {
      const input = await validateInput(StoredJointDeadlineRequest, {
        label: values.label,
        start: values.start,
        count: /^\d+$/.test(values.count.trim()) ? Number(values.count) : values.count,
        unit: values.unit,
      });
      await this.jointDeadlines.set(id, input);
      return this.pages.redirect(`/procedures/${id}`, t('coop.flash.jointSet'));
    } catch (error) {
      const fields = fieldErrorsOf(error);
      const errors = fields ? errorsOf(fields, options) : formErrors(error, options);
      return this.showPage(req, await this.procedures.get(id), { joint: { values, errors } });
    }
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/joint-deadlines/:jointId/realign')
  async realign(
    @Req() req: PageRequest,
    @Param('id') id: string,
    @Param('jointId') jointId: string,
    @Body() body: Record<string, unknown>,
  ) {
    requireUuid(id, 'procedure');
    requireUuid(jointId, 'joint deadline');
    const { reason } = formValues(body, ['reason']);
    const options = { form: `realign-${jointId}`, fields: ['reason'], messages: {} };
    if (!reason.trim()) {
      const errors = errorsOf([{ field: 'reason', message: t('coop.error.reasonRequired') }], options);
      return this.showPage(req, await this.procedures.get(id), { realign: { jointId, reason, errors } });
    }
    try {
      await this.jointDeadlines.realign(id, jointId, reason.trim());
      return this.pages.redirect(`/procedures/${id}`, t('coop.flash.realigned'));
    } catch (error) {
      return this.showPage(req, await this.procedures.get(id), {
        realign: { jointId, reason, errors: formErrors(error, options) },
      });
    }
  }

  private async openPage(
    kase: { id: string; reference: string; title: string; organisation: { name: string } | null },
    values: Record<string, string>,
    participants: string[],
    errors: FormErrors,
  ) {
    const authorities = await this.procedures.otherAuthorityChoices();
    return this.pages.render(
      'cooperation/new',
      {
        title: t('coop.open.title'),
        kase,
        values,
        errors,
        types: PROCEDURE_TYPES.map((type) => ({ value: type, checked: values.type === type })),
        authorities: authorities.map((authority) => ({ ...authority, checked: participants.includes(authority.code) })),
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }

  private async showPage(req: PageRequest, procedure: ProcedureView, forms: ShowForms) {
    const settings = settingsOf(req);
    const today = localDate(this.clock.now(), settings.timezone);
    const steps = (Object.keys(STEP_RULES) as StepKind[]).filter(
      (kind) => STEP_RULES[kind].types.includes(procedure.type) && STEP_RULES[kind].roles.includes(procedure.myRole),
    );
    const canWrite = (CASE_WRITERS as string[]).includes(req.auth!.user.role);
    const shareable = canWrite ? await this.procedures.shareableDocuments(procedure.id) : [];
    const stepValues = forms.step?.values ?? { kind: '', body: '' };
    const stepErrors = forms.step?.errors ?? noErrors();
    const messageErrors = forms.message?.errors ?? noErrors();
    const shareErrors = forms.share ?? noErrors();
    const jointValues = forms.joint?.values ?? { label: '', start: today, count: '', unit: 'calendar_days' };
    const jointErrors = forms.joint?.errors ?? noErrors();
    const realignErrors = forms.realign?.errors ?? noErrors();
    const failed = [stepErrors, messageErrors, shareErrors, jointErrors, realignErrors].find(
      (errors) => errors.summary.length > 0,
    );
    return this.pages.render(
      'cooperation/show',
      {
        title: `${procedure.reference} – ${procedure.subject}`,
        procedure: {
          ...procedure,
          created: formatInstant(procedure.createdAt, settings),
          deadlines: procedure.deadlines.map((deadline) => ({
            ...deadline,
            // The clock's label and its explanation in the reader's language (the spec's id names both).
            label: clockIdOf(deadline.label) ? t(`coopClock.${clockIdOf(deadline.label)}.label`) : deadline.label,
            text: formatDate(deadline.dueDate, settings, 'long'),
            late: Math.max(0, -daysBetween(today, deadline.dueDate)),
            explanationLines: deadline.explanationEntries.map((entry) => {
              // A legal-basis line stored before lines had codes is still the spec's own text.
              const id = entry.code ? null : clockIdOf(entry.reason);
              const line = explanationText(id ? { ...entry, code: `coopBasis.${id}` } : entry, settings);
              return `${formatDate(entry.date, settings, 'short')}: ${line}`;
            }),
          })),
          steps: procedure.steps.map((step) => ({ ...step, when: formatInstant(step.at, settings) })),
          messages: procedure.messages.map((message) => ({ ...message, when: formatInstant(message.at, settings) })),
          jointDeadlines: procedure.jointDeadlines.map((joint) => ({
            ...joint,
            when: formatInstant(joint.dueAt, settings),
            proposed: joint.proposedDueAt && formatInstant(joint.proposedDueAt, settings),
            shares: joint.perAuthority.map((share) => ({
              ...share,
              text: formatDate(share.localDate, settings, 'long'),
              // In the reader's language where the lines carry their codes (joint deadlines stored since).
              explanation: share.lines
                ? share.lines.map((line) =>
                    explanationText({ date: share.localDate, kind: 'start', reason: '', ...line }, settings),
                  )
                : share.explanation,
            })),
            changes: joint.changes.map((change) => ({ ...change, text: formatDate(change.date, settings, 'long') })),
            moves: joint.moves.map((move) => ({
              ...move,
              when: formatInstant(move.at, settings),
              from: formatInstant(move.fromDueAt, settings),
              to: formatInstant(move.toDueAt, settings),
            })),
            reason: forms.realign?.jointId === joint.id ? forms.realign.reason : '',
            errors: forms.realign?.jointId === joint.id ? realignErrors : noErrors(),
          })),
        },
        canWrite,
        stepKinds: steps.map((kind) => ({ value: kind, selected: stepValues.kind === kind })),
        stepValues,
        stepErrors,
        messageText: forms.message?.text ?? '',
        messageErrors,
        shareable: shareable.map((document) => ({
          ...document,
          when: formatInstant(document.createdAt, settings),
        })),
        shareErrors,
        jointValues,
        jointErrors,
        units: PERIOD_UNITS.map((unit) => ({ value: unit, selected: jointValues.unit === unit })),
        errors: failed ?? noErrors(),
      },
      { status: failed ? 400 : 200 },
    );
  }
}

/** The provider's answers to each authority, topic by topic; sharing one's own answers into it. */
@Page('organisations')
@Roles(...STAFF)
export class AnswersComparedPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly compared: AnswersComparedService,
  ) {}

  @Get(':id/answers')
  async show(@Req() req: PageRequest, @Param('id') id: string) {
    return this.page(req, requireUuid(id, 'organisation'), noErrors(), {});
  }

  @Roles('admin', 'manager')
  @Post(':id/answers/sharing')
  async share(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'organisation');
    const { caseId, shared } = formValues(body, ['caseId', 'shared']);
    await this.compared.setSharing(requireUuid(caseId, 'case'), shared === 'true');
    return this.pages.redirect(
      `/organisations/${id}/answers`,
      t(shared === 'true' ? 'coop.flash.answersShared' : 'coop.flash.answersUnshared'),
    );
  }

  @Roles(...CASE_WRITERS)
  @Post(':id/answers/inconsistencies')
  async mark(@Req() req: PageRequest, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    requireUuid(id, 'organisation');
    const values = formValues(body, ['topic', 'otherAuthority', 'note']);
    const options = { form: 'mark', fields: ['topic', 'otherAuthority', 'note'], messages: {} };
    if (!values.note.trim())
      return this.page(req, id, errorsOf([{ field: 'note', message: t('coop.error.noteRequired') }], options), values);
    try {
      await this.compared.markInconsistent(id, values.topic, values.otherAuthority, values.note);
      return this.pages.redirect(`/organisations/${id}/answers`, t('coop.flash.marked'));
    } catch (error) {
      const fields = fieldErrorsOf(error);
      return this.page(req, id, fields ? errorsOf(fields, options) : formErrors(error, options), values);
    }
  }

  private async page(req: PageRequest, id: string, errors: FormErrors, values: Record<string, string>) {
    const settings = settingsOf(req);
    const compared = await this.compared.compare(id);
    const sharing = await this.compared.mySharing(id);
    const others = compared.authorities.filter(
      (code) => !compared.topics.some((t) => t.answers.some((a) => a.own && a.authority === code)),
    );
    return this.pages.render(
      'cooperation/answers',
      {
        title: compared.organisation.legalName,
        compared: {
          ...compared,
          topics: compared.topics.map((topic) => ({
            ...topic,
            cells: compared.authorities.map((code) => ({
              code,
              answers: topic.answers
                .filter((answer) => answer.authority === code)
                .map((answer) => ({
                  ...answer,
                  received: formatDate(answer.receivedAt.slice(0, 10), settings, 'short'),
                })),
            })),
          })),
        },
        sharing,
        canShare: ['admin', 'manager'].includes(req.auth!.user.role),
        canMark: (CASE_WRITERS as string[]).includes(req.auth!.user.role),
        topics: compared.topics
          .filter((topic) => topic.answers.some((answer) => answer.own))
          .map((topic) => topic.topic),
        others,
        values,
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }
}

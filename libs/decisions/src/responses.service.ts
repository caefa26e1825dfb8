import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '#docket/audit';
import { isDateOnly, localDateOf, parseDateOrInstant } from '#docket/calendar';
import { CasesService } from '#docket/cases';
import { InquiriesService, inquiryView, RespondentLetters, type InquiryRecord } from '#docket/correspondence';
import { DeadlinesService, isRunning, targetOf, type DeadlineRecord } from '#docket/deadlines';
import { IdentityService } from '#docket/identity';
import {
  Clock,
  Conflict,
  mapInSequence,
  NotFound,
  RequestContext,
  UnitOfWork,
  ValidationProblem,
} from '#docket/platform';
import { AttachmentRepository, ResponseRepository } from './decisions.repository.js';
import {
  assessAnswers,
  assessmentCounts,
  followUpQuestionIds,
  instantError,
  responseTiming,
} from './decision-rules.js';
import type { FollowUpRequest, ResponseRequest, ResponseView } from './dto.js';
import { ResponseAnswer } from './response-answer.entity.js';
import { InquiryResponse } from './response.entity.js';
import { responseView } from './views.js';

@Injectable()
export class ResponsesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly responses: ResponseRepository,
    private readonly attachments: AttachmentRepository,
    private readonly inquiries: InquiriesService,
    private readonly deadlines: DeadlinesService,
    private readonly cases: CasesService,
    private readonly identity: IdentityService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly respondentLetters: RespondentLetters,
  ) {}

  /**
   * Records a response with an assessment per question of the inquiry. The first response settles the
   * inquiry's deadline (met; late when received after the due instant, and the lateness is kept on the
   * response); a later supplement is recorded and leaves the settled deadline alone. The case moves to
   * under_review.
   */
  async record(inquiryId: string, request: ResponseRequest): Promise<ResponseView> {
    const inquiry = await this.inquiries.get(inquiryId);
    // The letter's date: its deadline counts from it.
    const letterAt =
      (inquiry.deadlineId ? (await this.deadlines.get(inquiry.deadlineId)).eventAt : null) ??
      inquiry.sentAt ??
      inquiry.createdAt;
    const authority = await this.identity.currentAuthority();
    const receivedAt = receiptInstant(request.receivedAt, letterAt, authority.timezone);
    const { answers, errors } = assessAnswers(inquiry.questions, request.answers);
    const when = instantError('receivedAt', receivedAt, this.clock.now(), letterAt);
    if (when) errors.unshift(when);
    if (errors.length) throw new ValidationProblem(errors);

    return this.unitOfWork.run(async () => {
      await this.cases.getForUpdate(inquiry.caseId);
      await this.cases.requireOpenCase(inquiry.caseId);
      let deadline: DeadlineRecord | null = inquiry.deadlineId ? await this.deadlines.get(inquiry.deadlineId) : null;
      const settles = deadline !== null && isRunning(deadline.status);
      const dueAt = deadline?.dueAt ?? null;
      const timing = responseTiming({
        sentAt: letterAt,
        receivedAt,
        dueAt,
        dueDate: deadline?.dueDate ?? null,
        timeZone: authority.timezone,
      });
      if (settles && deadline) {
        deadline = (await this.deadlines.markMet(deadline.id, receivedAt, `response received by ${request.channel}`))
          .deadline;
      }
      const response = Object.assign(new InquiryResponse(), {
        id: randomUUID(),
        caseId: inquiry.caseId,
        inquiryId: inquiry.id,
        receivedAt,
        channel: request.channel,
        summary: request.summary,
        deadlineId: deadline?.id ?? null,
        metDeadline: settles,
        dueAt,
        onTime: timing.onTime,
        lateByDays: timing.lateByDays,
        daysToRespond: timing.daysToRespond,
        createdBy: RequestContext.actor().label,
        createdAt: this.clock.now(),
      });
      const rows = answers.map((answer) =>
        Object.assign(new ResponseAnswer(), { id: randomUUID(), responseId: response.id, ...answer }),
      );
      await this.responses.insert(response, rows);
      // The organisation is told its reply arrived: a formal acknowledgement in the inquiry's language.
      await this.respondentLetters.acknowledge(inquiry, response);
      await this.audit.record({
        action: 'response.recorded',
        entityType: 'response',
        entityId: response.id,
        caseId: response.caseId,
        after: {
          inquiryId: inquiry.id,
          receivedAt: receivedAt.toISOString(),
          channel: response.channel,
          onTime: response.onTime,
          lateByDays: response.lateByDays,
          metDeadline: settles,
          assessments: assessmentCounts(rows),
          answers: rows.map((row) => ({ questionId: row.questionId, assessment: row.assessment })),
        },
      });
      await this.cases.transition(inquiry.caseId, 'record_response');
      return responseView(response, {
        answers: rows,
        attachments: [],
        deadline,
        questionTexts: questionTexts(inquiry),
      });
    });
  }

  async view(id: string): Promise<ResponseView> {
    const response = await this.require(id);
    return (await this.views([response]))[0];
  }

  async forCase(caseId: string): Promise<ResponseView[]> {
    return this.views(await this.responses.forCase(caseId));
  }

  /** Which of these inquiries of the caller's authority have a response recorded, in one read. */
  async answered(inquiryIds: string[]): Promise<Set<string>> {
    return new Set(await this.responses.answeredAmong([...new Set(inquiryIds)]));
  }

  /** The response of the caller's authority; 404 otherwise. */
  async require(id: string): Promise<InquiryResponse> {
    const response = await this.responses.findOne({ id });
    if (!response)
      throw new NotFound(`There is no response ${id} in your authority.`).withMessage('problem.responses.notFound', {
        id,
      });
    return response;
  }

  /**
   * Sends a follow-up inquiry asking again the questions this response left partial, insufficient,
   * refused or unanswered; the inquiry goes out like any other and the case returns to awaiting_response.
   */
  async followUp(id: string, request: FollowUpRequest) {
    const { response, letter } = await this.followUpLetter(id, request);
    const { inquiry, deadline } = await this.inquiries.create(response.caseId, letter);
    // The inquiry is committed by now; this links it to the response on the case's timeline.
    await this.audit.record({
      action: 'response.followed_up',
      entityType: 'response',
      entityId: response.id,
      caseId: response.caseId,
      after: { inquiryId: inquiry.id, questionIds: letter.questionIds },
    });
    return inquiryView(inquiry, deadline);
  }

  /**
   * The follow-up letter exactly as `followUp` would send it now, without sending anything: recipients,
   * questions, the rendered letter and its due date (for a page that asks for confirmation first).
   */
  async followUpPreview(id: string, request: FollowUpRequest) {
    const { response, letter } = await this.followUpLetter(id, request);
    await this.cases.requireOpenCase(response.caseId);
    const rendered = await this.inquiries.preview(letter.template, response.caseId, letter.locale, {
      questionIds: letter.questionIds,
      deadline: letter.deadline,
      recipient: letter.to[0],
    });
    return {
      responseId: response.id,
      caseId: response.caseId,
      ...letter,
      letter: { subject: rendered.subject, html: rendered.html, text: rendered.text },
      templateVersion: rendered.templateVersion,
      dueDate: rendered.dueDate,
      dueAt: rendered.dueAt,
    };
  }

  /**
   * What a follow-up of the response sends: the open questions, with the first inquiry's template, language and
   * recipients unless given.
   */
  private async followUpLetter(id: string, request: FollowUpRequest) {
    const response = await this.require(id);
    const answers = await this.responses.answersOf([response.id]);
    const questionIds = followUpQuestionIds(answers);
    if (questionIds.length === 0)
      throw new Conflict(
        'Every question of this response was assessed as answered: there is nothing to follow up.',
      ).withMessage('problem.responses.nothingToFollowUp');
    const first = await this.inquiries.get(response.inquiryId);
    const letter = {
      template: request.template ?? first.templateKey,
      locale: request.locale ?? first.locale,
      to: request.to ?? first.to,
      cc: request.cc ?? first.cc,
      questionIds,
      deadline: targetOf(request.deadline),
      reminders: request.reminders,
    };
    return { response, letter };
  }

  private async views(responses: InquiryResponse[]): Promise<ResponseView[]> {
    if (responses.length === 0) return [];
    const ids = responses.map((response) => response.id);
    const answers = await this.responses.answersOf(ids);
    const attachments = await this.attachments.ofResponses(ids);
    const inquiries = await this.inquiries.byIds([...new Set(responses.map((response) => response.inquiryId))]);
    const deadlines = await mapInSequence(
      [...new Set(responses.flatMap((response) => response.deadlineId ?? []))],
      (deadlineId) => this.deadlines.get(deadlineId),
    );
    const texts = new Map(inquiries.map((inquiry) => [inquiry.id, questionTexts(inquiry)]));
    return responses.map((response) =>
      responseView(response, {
        answers: answers.filter((answer) => answer.responseId === response.id),
        attachments: attachments.filter((attachment) => attachment.responseId === response.id),
        deadline: deadlines.find((deadline) => deadline.id === response.deadlineId) ?? null,
        questionTexts: texts.get(response.inquiryId),
      }),
    );
  }
}

function questionTexts(inquiry: InquiryRecord): Map<string, string> {
  return new Map(inquiry.questions.map((question) => [question.id, question.text]));
}

/**
 * When a response arrived: an instant as given, or a date (the authority's local date). A date is its first instant,
 * or the letter's own instant when the response came the same day as the letter.
 */
export function receiptInstant(value: string, letterAt: Date, timeZone: string): Date {
  const parsed = parseDateOrInstant(value, timeZone);
  if (!parsed) return new Date(NaN);
  if (isDateOnly(value) && localDateOf(letterAt, timeZone) === value && parsed.getTime() < letterAt.getTime())
    return new Date(letterAt.getTime());
  return parsed;
}

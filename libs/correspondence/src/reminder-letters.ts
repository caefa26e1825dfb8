import { Injectable, Logger } from '@nestjs/common';
import { coverNote, DocumentsService, type IssueRequest } from '#docket/documents';
import {
  REMINDER_MESSAGES,
  type DeadlineRecord,
  type ReminderMessage,
  type ReminderMessages,
  type ReminderRecord,
} from '#docket/deadlines';
import { UserRepository, type UserRecord } from '#docket/identity';
import { Contributes, RequestContext, ValidationProblem } from '#docket/platform';
import { byLanguage, closestLocale, InquiriesService, type LetterParties } from './inquiries.service.js';
import type { Inquiry } from './inquiry.entity.js';
import { TemplateRegistry } from './template-registry.js';
import type { TemplateDefinition } from './templating/index.js';

/** A chaser whose document is to be issued. */
interface Chaser {
  reminderId: string;
  locale: string;
  parties: LetterParties;
  request: IssueRequest;
}

const TEMPLATE_FOR = { respondent: 'chaser', assignee: 'staff-reminder', manager: 'manager-escalation' } as const;
const KIND_FOR = { respondent: 'chaser', assignee: 'staff_reminder', manager: 'manager_escalation' } as const;

/**
 * Writes reminders: chasers to the organisation in the inquiry's language, notices to staff in each one's language
 * (their own where users have one, else the authority's).
 */
@Injectable()
@Contributes(REMINDER_MESSAGES)
export class ReminderLetters implements ReminderMessages {
  private readonly logger = new Logger(ReminderLetters.name);

  constructor(
    private readonly templates: TemplateRegistry,
    private readonly inquiries: InquiriesService,
    private readonly users: UserRepository,
    private readonly documents: DocumentsService,
  ) {}

  /**
   * Everything the letters of a batch share is read once: their cases (with authority, organisation and
   * assignee) in one query, their inquiries in one, the templates in one, the authority's managers at most once; the
   * chasers' documents are issued together.
   */
  async buildMany(
    reminders: (ReminderRecord & { deadline: DeadlineRecord })[],
  ): Promise<Map<string, ReminderMessage | null>> {
    const letters = new Map<string, ReminderMessage | null>();
    if (reminders.length === 0) return letters;
    const parties = await this.inquiries.partiesOfCases(reminders.map((reminder) => reminder.deadline.caseId));
    const inquiryIds = [
      ...new Set(reminders.map((reminder) => reminder.deadline.inquiryId).filter((id): id is string => id !== null)),
    ];
    const inquiries = new Map((await this.inquiries.byIds(inquiryIds)).map((inquiry) => [inquiry.id, inquiry]));
    const managers = once(() => this.users.activeManagers());
    const templates = await this.templates.resolveMany(reminders.map((reminder) => TEMPLATE_FOR[reminder.audience]));
    const chasers: Chaser[] = [];
    for (const reminder of reminders) {
      const { deadline } = reminder;
      const caseParties = parties.get(deadline.caseId);
      if (!caseParties)
        throw new Error(
          `reminder ${reminder.id}: case ${deadline.caseId} not found in authority ${RequestContext.authorityId()}`,
        );
      const inquiry = deadline.inquiryId ? (inquiries.get(deadline.inquiryId) ?? null) : null;
      const recipients = await this.recipients(reminder, caseParties.assignee, inquiry, managers);
      if (recipients.length === 0) {
        letters.set(reminder.id, null);
        continue;
      }
      const definition = templates.get(TEMPLATE_FOR[reminder.audience]) as TemplateDefinition;
      // A chaser is one letter in the inquiry's language; staff are grouped by the language they read.
      const groups: [string, { email: string; name: string | null }[]][] =
        reminder.audience === 'respondent'
          ? [[closestLocale(definition, inquiry?.locale ?? caseParties.authority.locale), recipients]]
          : [...byLanguage(recipients, caseParties.authority, definition)];
      const written = [];
      for (const [locale, people] of groups) {
        // The questions as the letter asked them (its snapshot): a later edit or retirement of a question changes
        // neither the letter nor its chasers.
        const context = this.inquiries.letterContext(
          caseParties,
          locale,
          inquiry?.questions ?? [],
          { dueAt: deadline.dueAt, dueDate: deadline.dueDate },
          { email: people[0]!.email, name: people[0]!.name },
          {
            inquiry: inquiry ? { replyTo: inquiry.replyTo, sentAt: inquiry.sentAt ?? inquiry.createdAt } : undefined,
            reminder: { offset: reminder.offset, audience: reminder.audience },
          },
        );
        written.push({
          locale,
          to: people.map((r) => r.email),
          ...(await this.inquiries.render(definition, locale, context)),
        });
      }
      const [main, ...others] = written;
      const message: ReminderMessage = {
        caseId: deadline.caseId,
        kind: KIND_FOR[reminder.audience],
        to: main!.to,
        replyTo: inquiry?.replyTo ?? null,
        subject: main!.subject,
        html: main!.html,
        text: main!.text,
        ...(others.length
          ? {
              translations: others.map(({ locale, to, subject, html, text }) => ({
                locale,
                caseId: deadline.caseId,
                kind: KIND_FOR[reminder.audience],
                to,
                replyTo: inquiry?.replyTo ?? null,
                subject,
                html,
                text,
              })),
            }
          : {}),
      };
      letters.set(reminder.id, message);
      if (reminder.audience === 'respondent')
        chasers.push({
          reminderId: reminder.id,
          locale: main!.locale,
          parties: caseParties,
          request: {
            authorityId: caseParties.authority.id,
            caseId: caseParties.case.id,
            kind: 'chaser',
            issueKey: `chaser.${reminder.id}`,
            // Written only in the transaction that records its reminder sent, and the reminder is still scheduled
            // under its row lock: no document has the key yet (a clash would still keep the first, see issueMany).
            newIssueKey: true,
            locale: main!.locale,
            title: message.subject,
            reference: caseParties.case.reference,
            issuedAt: this.inquiries.now(),
            body: message.text,
          },
        });
    }
    await this.asDocuments(letters, chasers);
    return letters;
  }

  /**
   * A chaser to the organisation travels as a formal document with a cover note, like its inquiry; the documents of
   * a batch's chasers are issued together. Templates are checked when saved; should one still not set as a PDF, the
   * chaser goes as the letter's text (and says so in the log) rather than hold every reminder of its batch.
   */
  private async asDocuments(letters: Map<string, ReminderMessage | null>, chasers: Chaser[]): Promise<void> {
    if (!chasers.length) return;
    const issued = await this.documents.issueMany(chasers.map((chaser) => chaser.request));
    for (const { reminderId, locale, parties, request } of chasers) {
      const message = letters.get(reminderId) as ReminderMessage;
      const document = issued.get(request.issueKey);
      if (!document || document instanceof ValidationProblem) {
        this.logger.warn(`chaser ${reminderId}: sent without its PDF document: ${document?.message ?? 'not issued'}`);
        continue;
      }
      const cover = coverNote({
        locale,
        authorityName: parties.authority.name,
        title: message.subject,
        reference: parties.case.reference,
        filename: document.filename,
        replyTo: message.replyTo,
        verifyUrl: this.documents.verifyUrl,
      });
      letters.set(reminderId, { ...message, ...cover, attachments: [this.documents.attachmentOf(document)] });
    }
  }

  /** `assignee`: the case's assignee as read for this letter (in the same transaction), or null. */
  private async recipients(
    reminder: ReminderRecord,
    assignee: UserRecord | null,
    inquiry: Inquiry | null,
    managers: () => Promise<UserRecord[]>,
  ): Promise<{ email: string; name: string | null; language?: string | null }[]> {
    if (reminder.audience === 'respondent') return inquiry ? inquiry.to.map((email) => ({ email, name: null })) : [];
    if (reminder.audience === 'assignee' && assignee?.active) return [assignee];
    return managers();
  }
}

/** Calls `load` the first time only. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import type { Deadline, Reminder, ReminderMessage, ReminderMessages } from '#docket/deadlines';
import { User } from '#docket/identity';
import { RequestContext } from '#docket/platform';
import { closestLocale, InquiriesService } from './inquiries.service.js';
import { Inquiry } from './inquiry.entity.js';
import { TemplateRegistry } from './template-registry.js';
import type { TemplateDefinition } from './templating/index.js';

const TEMPLATE_FOR = { respondent: 'chaser', assignee: 'staff-reminder', manager: 'manager-escalation' } as const;
const KIND_FOR = { respondent: 'chaser', assignee: 'staff_reminder', manager: 'manager_escalation' } as const;

/** Writes reminders: chasers to the organisation in the inquiry's language, notices to staff in the authority's. */
@Injectable()
export class ReminderLetters implements ReminderMessages {
  constructor(
    private readonly templates: TemplateRegistry,
    private readonly inquiries: InquiriesService,
  ) {}

  /**
   * Everything the letters of a batch share is read once: their cases (with authority, organisation and
   * assignee) in one query, their inquiries in one, the templates in one, the authority's managers at most once.
   */
  async buildMany(
    manager: EntityManager,
    reminders: (Reminder & { deadline: Deadline })[],
  ): Promise<Map<string, ReminderMessage | null>> {
    const letters = new Map<string, ReminderMessage | null>();
    if (reminders.length === 0) return letters;
    const parties = await this.inquiries.partiesOfCases(
      reminders.map((reminder) => reminder.deadline.caseId),
      manager,
    );
    const inquiryIds = [
      ...new Set(reminders.map((reminder) => reminder.deadline.inquiryId).filter((id): id is string => id !== null)),
    ];
    const inquiries = new Map(
      (inquiryIds.length ? await manager.find(Inquiry, { where: { id: In(inquiryIds) } }) : []).map((inquiry) => [
        inquiry.id,
        inquiry,
      ]),
    );
    const managers = once(() =>
      manager.find(User, {
        where: { authorityId: RequestContext.authorityId(), role: 'manager', active: true },
        order: { email: 'ASC' },
      }),
    );
    const templates = await this.templates.resolveMany(
      reminders.map((reminder) => TEMPLATE_FOR[reminder.audience]),
      manager,
    );
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
      const locale =
        reminder.audience === 'respondent' && inquiry
          ? closestLocale(definition, inquiry.locale)
          : closestLocale(definition, caseParties.authority.locale);
      const questionIds = inquiry?.questions.map((question) => question.id) ?? [];
      const context = this.inquiries.letterContext(
        caseParties,
        locale,
        questionIds,
        { dueAt: deadline.dueAt, dueDate: deadline.dueDate },
        { email: recipients[0].email, name: recipients[0].name },
        {
          inquiry: inquiry ? { replyTo: inquiry.replyTo, sentAt: inquiry.sentAt ?? inquiry.createdAt } : undefined,
          reminder: { offset: reminder.offset, audience: reminder.audience },
        },
      );
      const letter = await this.inquiries.render(definition, locale, context);
      letters.set(reminder.id, {
        caseId: deadline.caseId,
        kind: KIND_FOR[reminder.audience],
        to: recipients.map((r) => r.email),
        replyTo: inquiry?.replyTo ?? null,
        ...letter,
      });
    }
    return letters;
  }

  /** `assignee`: the case's assignee as read for this letter (in the same transaction), or null. */
  private async recipients(
    reminder: Reminder,
    assignee: User | null,
    inquiry: Inquiry | null,
    managers: () => Promise<User[]>,
  ): Promise<{ email: string; name: string | null }[]> {
    if (reminder.audience === 'respondent') return inquiry ? inquiry.to.map((email) => ({ email, name: null })) : [];
    if (reminder.audience === 'assignee' && assignee?.active) return [{ email: assignee.email, name: assignee.name }];
    return (await managers()).map(({ email, name }) => ({ email, name }));
  }
}

/** Calls `load` the first time only. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

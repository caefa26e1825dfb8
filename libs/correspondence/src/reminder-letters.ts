import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Deadline, Reminder, ReminderMessage, ReminderMessages } from '#docket/deadlines';
import { User } from '#docket/identity';
import { closestLocale, InquiriesService } from './inquiries.service.js';
import { Inquiry } from './inquiry.entity.js';
import { TemplateRegistry } from './template-registry.js';

const TEMPLATE_FOR = { respondent: 'chaser', assignee: 'staff-reminder', manager: 'manager-escalation' } as const;
const KIND_FOR = { respondent: 'chaser', assignee: 'staff_reminder', manager: 'manager_escalation' } as const;

/** Writes reminders: chasers to the organisation in the inquiry's language, notices to staff in the authority's. */
@Injectable()
export class ReminderLetters implements ReminderMessages {
  constructor(
    private readonly templates: TemplateRegistry,
    private readonly inquiries: InquiriesService,
  ) {}

  async build(manager: EntityManager, reminder: Reminder, deadline: Deadline): Promise<ReminderMessage | null> {
    const parties = await this.inquiries.parties(deadline.caseId, manager);
    const inquiry = deadline.inquiryId ? await manager.findOne(Inquiry, { where: { id: deadline.inquiryId } }) : null;
    const recipients = await this.recipients(manager, reminder, parties.case.assigneeId, parties.case.authorityId, inquiry);
    if (recipients.length === 0) return null;
    const template = await this.templates.resolve(TEMPLATE_FOR[reminder.audience], manager);
    const locale = reminder.audience === 'respondent' && inquiry ? closestLocale(template, inquiry.locale) : closestLocale(template, parties.authority.locale);
    const questionIds = inquiry?.questions.map((question) => question.id) ?? [];
    const context = this.inquiries.letterContext(
      parties,
      locale,
      questionIds,
      { dueAt: deadline.dueAt, dueDate: deadline.dueDate },
      { email: recipients[0].email, name: recipients[0].name },
      { inquiry: inquiry ? { replyTo: inquiry.replyTo, sentAt: inquiry.sentAt ?? inquiry.createdAt } : undefined, reminder: { offset: reminder.offset, audience: reminder.audience } },
    );
    const letter = await this.inquiries.render(template, locale, context);
    return { caseId: deadline.caseId, kind: KIND_FOR[reminder.audience], to: recipients.map((r) => r.email), replyTo: inquiry?.replyTo ?? null, ...letter };
  }

  private async recipients(manager: EntityManager, reminder: Reminder, assigneeId: string | null, authorityId: string, inquiry: Inquiry | null): Promise<{ email: string; name: string | null }[]> {
    if (reminder.audience === 'respondent') return inquiry ? inquiry.to.map((email) => ({ email, name: null })) : [];
    const managers = () => manager.find(User, { where: { authorityId, role: 'manager', active: true }, order: { email: 'ASC' } });
    if (reminder.audience === 'manager') return (await managers()).map(({ email, name }) => ({ email, name }));
    const assignee = assigneeId ? await manager.findOne(User, { where: { id: assigneeId, active: true } }) : null;
    return assignee ? [{ email: assignee.email, name: assignee.name }] : (await managers()).map(({ email, name }) => ({ email, name }));
  }
}

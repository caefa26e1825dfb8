import { Get, Param, Query, Req } from '@nestjs/common';
import { t } from '#docket/i18n';
import { OutboxListQuery, OutboxService } from '#docket/correspondence';
import type { OutboundMessageRecord } from '#docket/mailing';
import { Roles } from '#docket/platform';
import { formatInstant, type DateSettings } from '../dates.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { labelsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { formErrors, formValues, noErrors, validateForm } from '../forms.js';
import { pagerLinks, sortHeaders } from './list-paging.js';
import { requireUuid, settingsOf } from './page-helpers.js';

const KIND_LABELS = labelsOf('mailKind.', [
  'inquiry',
  'chaser',
  'staff_reminder',
  'manager_escalation',
  'notification',
  'respondent_notice',
  'decision',
]);

const PAGE_SIZE = 50;
const FIELDS = ['status', 'sort', 'cursor'];

/** The mail the authority sent or is sending, newest first, and each message as it went out. */
@Page('outbox')
@Roles('admin', 'manager', 'officer')
export class OutboxPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly outbox: OutboxService,
  ) {}

  @Get()
  async list(@Req() req: PageRequest, @Query() query: Record<string, unknown>) {
    const settings = settingsOf(req);
    const values = formValues(query, FIELDS);
    let errors = noErrors();
    let page: { items: OutboundMessageRecord[]; nextCursor: string | null; prevCursor: string | null } = {
      items: [],
      nextCursor: null,
      prevCursor: null,
    };
    try {
      const filter = await validateForm(OutboxListQuery, query, { fields: FIELDS });
      page = await this.outbox.page({ ...filter, limit: PAGE_SIZE });
    } catch (error) {
      errors = formErrors(error, { fields: FIELDS });
    }
    const filters = { status: values.status, sort: values.sort };
    return this.pages.render(
      'outbox/list',
      {
        title: t('nav.outbox'),
        destination: this.outbox.destination,
        messages: page.items.map((message) => row(message, settings)),
        sortColumns: sortHeaders('/outbox', { status: values.status }, values.sort || '-createdAt', [
          { key: 'createdAt', label: t('outbox.created'), first: 'desc' },
          { key: 'subject', label: t('outbox.message'), first: 'asc' },
          { key: 'status', label: t('common.status'), first: 'asc' },
        ]),
        pager: pagerLinks('/outbox', filters, page, Boolean(values.cursor)),
        errors,
      },
      { status: errors.summary.length ? 400 : 200 },
    );
  }

  @Get(':id')
  async show(@Req() req: PageRequest, @Param('id') id: string) {
    const message = await this.outbox.get(requireUuid(id, 'message'));
    return this.pages.render('outbox/show', {
      title: message.subject,
      message: {
        ...row(message, settingsOf(req)),
        from: this.outbox.from,
        cc: message.cc.join(', '),
        replyTo: message.replyTo,
        messageId: message.messageId,
        smtpResponse: message.smtpResponse,
        caseHref: message.caseId ? `/cases/${message.caseId}` : null,
      },
      letter: { subject: message.subject, html: message.html, text: message.text },
    });
  }
}

function row(message: OutboundMessageRecord, dates: DateSettings) {
  return {
    id: message.id,
    href: `/outbox/${message.id}`,
    kind: KIND_LABELS[message.kind] ?? message.kind.replace(/_/g, ' '),
    to: message.to.join(', '),
    subject: message.subject,
    status: message.status,
    attempts: message.attempts,
    error: message.lastError,
    created: { iso: message.createdAt.toISOString(), text: formatInstant(message.createdAt, dates) },
    sent: message.sentAt ? { iso: message.sentAt.toISOString(), text: formatInstant(message.sentAt, dates) } : null,
    statusText: message.status === 'waiting' ? 'waiting for the mail server' : message.status,
    waiting:
      message.status === 'waiting' && message.waitingSince
        ? {
            since: { iso: message.waitingSince.toISOString(), text: formatInstant(message.waitingSince, dates) },
            next: { iso: message.nextAttemptAt.toISOString(), text: formatInstant(message.nextAttemptAt, dates) },
          }
        : null,
    accepted: message.accepted.join(', '),
    refused: message.refused.join(', '),
    envelopeTo: message.envelopeTo?.join(', ') ?? null,
    partOfHref: message.parentId ? `/outbox/${message.parentId}` : null,
    resends: message.resends,
  };
}

import { Body, Get, Param, Post } from '@nestjs/common';
import { formatInstant } from '../dates.js';
import { t } from '#docket/i18n';
import { MailingService } from '#docket/mailing';
import { QueueAdmin, QUEUE_STATES, Roles, ValidationProblem } from '#docket/platform';
import { Page } from '../page.decorator.js';
import { PageRenderer } from '../page-renderer.js';

const FAILED_SHOWN = 20;
const stateLabel = (state: string) => t(`queueState.${state}`);
/** The operators' clock: they serve every authority, so times are shown in UTC. */
const UTC = { timezone: 'UTC', locale: 'en-GB' };

/** The deployment's queues for the operators: counts, failed jobs with their error, retry. */
@Page('admin/queues')
@Roles('sysadmin')
export class QueuePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly queues: QueueAdmin,
    private readonly mailing: MailingService,
  ) {}

  @Get()
  async list() {
    const queues = await this.queues.list();
    const failed = await Promise.all(
      queues.map((queue) =>
        queue.counts.failed > 0 ? this.queues.failed(queue.name, FAILED_SHOWN) : Promise.resolve([]),
      ),
    );
    const mail = await this.mailing.status();
    return this.pages.render('admin/queues', {
      title: t('nav.queues'),
      mail: {
        ...mail,
        waitingSince: mail.waitingSince
          ? { iso: mail.waitingSince, text: formatInstant(new Date(mail.waitingSince), UTC) }
          : null,
      },
      states: QUEUE_STATES.map(stateLabel),
      queues: queues.map((queue, index) => ({
        name: queue.name,
        counts: QUEUE_STATES.map((state) => ({ state, label: stateLabel(state), count: queue.counts[state] ?? 0 })),
        failedCount: queue.counts.failed ?? 0,
        failed: failed[index].map((job) => ({
          id: job.id ?? '',
          retryHref: `/admin/queues/${encodeURIComponent(queue.name)}/jobs/${encodeURIComponent(job.id ?? '')}/retry`,
          name: job.name,
          attempts: job.attemptsMade,
          error: job.failedReason ?? t('queues.noReason'),
          finished: job.finishedAt ? { iso: job.finishedAt, text: formatInstant(job.finishedAt, UTC) } : null,
        })),
      })),
    });
  }

  /** Bulk retry of the mail: `scope` failed, waiting or all (failed and waiting). */
  @Post('mail/retry')
  async retryMail(@Body() body: { scope?: string }) {
    const statuses =
      body.scope === 'failed'
        ? (['failed'] as const)
        : body.scope === 'waiting'
          ? (['waiting'] as const)
          : body.scope === 'all'
            ? (['failed', 'waiting'] as const)
            : null;
    if (!statuses)
      throw new ValidationProblem([{ field: 'scope', message: t('queues.error.scope'), key: 'queues.error.scope' }]);
    const retried = await this.mailing.retry({ statuses: [...statuses], limit: 5000 });
    return this.pages.redirect(
      '/admin/queues',
      retried.length ? t('queues.flash.mailRetried', { count: retried.length }) : t('queues.flash.noMail'),
    );
  }

  @Post(':name/jobs/:id/retry')
  async retry(@Param('name') name: string, @Param('id') id: string) {
    const job = await this.queues.retry(name, id);
    return this.pages.redirect(
      '/admin/queues',
      t('queues.flash.jobRetried', { id: job.id ?? id, name: job.name, queue: name }),
    );
  }
}

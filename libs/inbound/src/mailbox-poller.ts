import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { DocketProcessor, JobName, QueueName, RUNTIME, type Runtime } from '#docket/platform';
import { InboundService, type Envelope } from './inbound.service.js';

/** Keyword set on a message too large to take, so that polls skip it; staff see it flagged in their mail client. */
export const TOO_LARGE_KEYWORD = '$DocketTooLarge';
/** Messages taken per poll; the rest wait for the next one. */
const MESSAGES_PER_POLL = 200;
const SCHEDULER_ID = 'poll-mailbox';

export interface PollReport {
  filed: number;
  failed: number;
  tooLarge: number;
}

/**
 * Connection options from INBOUND_IMAP_URL: `imaps://` is TLS from the start; `?tls=insecure` accepts any certificate.
 */
export function imapOptions(url: string): ImapFlowOptions {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'imaps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
    ...(parsed.searchParams.get('tls') === 'insecure' ? { tls: { rejectUnauthorized: false } } : {}),
    logger: false,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  };
}

const ADDRESS = /[^\s<>,;:"()[\]]+@[^\s<>,;:"()[\]]+/g;

/**
 * The envelope of a message taken from a mailbox, read from its headers: the SMTP envelope is gone, and the
 * address the reply was sent to (which carries the token) survives in Delivered-To, X-Original-To, To or Cc.
 */
export function mailboxEnvelope(headers: string, triageAuthority?: string): Envelope {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const values = (name: string) =>
    unfolded
      .split(/\r?\n/)
      .filter((line) => line.toLowerCase().startsWith(`${name}:`))
      .map((line) => line.slice(name.length + 1));
  const addresses = (names: string[]) => [
    ...new Set(names.flatMap((name) => values(name).flatMap((value) => value.match(ADDRESS) ?? []))),
  ];
  const from = addresses(['return-path'])[0] ?? addresses(['from'])[0] ?? '';
  return {
    from,
    to: addresses(['delivered-to', 'x-original-to', 'to', 'cc']),
    ...(triageAuthority ? { triageAuthority } : {}),
  };
}

/**
 * Polls the authority's existing mailbox (INBOUND_IMAP_URL, folder INBOUND_IMAP_FOLDER) and feeds each unseen
 * message to the reply pipeline, marking it seen only once it is stored and filed: a message whose filing
 * fails stays unseen and is taken again by the next poll (the pipeline recognises the same bytes).
 */
@Injectable()
export class MailboxPoller {
  private readonly logger = new Logger(MailboxPoller.name);

  constructor(
    private readonly inbound: InboundService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  get enabled(): boolean {
    return this.runtime.config.INBOUND_IMAP_URL !== undefined;
  }

  async poll(): Promise<PollReport> {
    const config = this.runtime.config;
    if (!config.INBOUND_IMAP_URL) return { filed: 0, failed: 0, tooLarge: 0 };
    const client = new ImapFlow(imapOptions(config.INBOUND_IMAP_URL));
    client.on('error', (error: Error) => this.logger.warn(`IMAP ${client.options.host}: ${error.message}`));
    const report: PollReport = { filed: 0, failed: 0, tooLarge: 0 };
    await client.connect();
    try {
      const lock = await client.getMailboxLock(config.INBOUND_IMAP_FOLDER);
      try {
        const unseen = (await client.search({ seen: false, unKeyword: TOO_LARGE_KEYWORD }, { uid: true })) || [];
        for (const uid of unseen.slice(0, MESSAGES_PER_POLL)) await this.take(client, uid, report);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    if (report.filed || report.failed || report.tooLarge)
      this.logger.log(`mailbox ${config.INBOUND_IMAP_FOLDER}: ${JSON.stringify(report)}`);
    return report;
  }

  private async take(client: ImapFlow, uid: number, report: PollReport): Promise<void> {
    const config = this.runtime.config;
    const range = String(uid);
    const head = await client.fetchOne(
      range,
      {
        uid: true,
        size: true,
        internalDate: true,
        headers: ['return-path', 'from', 'delivered-to', 'x-original-to', 'to', 'cc'],
      },
      { uid: true },
    );
    if (!head) return;
    if ((head.size ?? 0) > config.INBOUND_MAX_BYTES) {
      await client.messageFlagsAdd(range, ['\\Flagged', TOO_LARGE_KEYWORD], { uid: true });
      this.logger.warn(
        `mailbox message ${uid} is ${head.size} bytes, over INBOUND_MAX_BYTES: left in the mailbox, flagged`,
      );
      report.tooLarge++;
      return;
    }
    const message = await client.fetchOne(range, { uid: true, source: true }, { uid: true });
    if (!message || !message.source) return;
    const arrivedAt =
      head.internalDate instanceof Date
        ? head.internalDate
        : head.internalDate
          ? new Date(head.internalDate)
          : undefined;
    try {
      await this.inbound.ingest(
        message.source,
        mailboxEnvelope(head.headers?.toString('utf8') ?? '', config.INBOUND_IMAP_AUTHORITY),
        arrivedAt,
      );
    } catch (error) {
      this.logger.warn(
        `mailbox message ${uid} could not be filed (left unseen, taken again next time): ${error instanceof Error ? error.message : String(error)}`,
      );
      report.failed++;
      return;
    }
    await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
    report.filed++;
  }
}

/** Runs the mailbox poll every INBOUND_IMAP_INTERVAL_SECONDS in the worker role, one poll at a time. */
@DocketProcessor(QueueName.Inbound, [JobName.PollMailbox], 1)
export class MailboxPollProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly poller: MailboxPoller,
    @InjectQueue(QueueName.Inbound) private readonly queue: Queue,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.runtime.config.DOCKET_ROLES.includes('worker')) return;
    if (!this.poller.enabled) {
      await this.queue.removeJobScheduler(SCHEDULER_ID);
      return;
    }
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.runtime.config.INBOUND_IMAP_INTERVAL_SECONDS * 1000 },
      { name: JobName.PollMailbox, data: {} },
    );
  }

  async process(job: Job): Promise<void> {
    if (job.name !== JobName.PollMailbox) throw new Error(`inbound queue has no handler for job ${job.name}`);
    await this.poller.poll();
  }
}

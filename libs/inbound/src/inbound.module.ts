import { ScanningModule } from '#docket/scanning';
import { Module, type OnModuleInit } from '@nestjs/common';
import { CaseFileRegistry, CasesModule } from '#docket/cases';
import { DecisionsModule } from '#docket/decisions';
import { SearchModule } from '#docket/search';
import { InboundController } from './inbound.controller.js';
import { InboundMessage } from './inbound-message.entity.js';
import { InboundMessageRepository } from './inbound-message.repository.js';
import { InboundService } from './inbound.service.js';
import { MailboxPoller, MailboxPollProcessor } from './mailbox-poller.js';
import { InboundSmtpListener } from './smtp-listener.js';

export const inboundEntities = [InboundMessage];

type After = Record<string, unknown>;
const after = (value: unknown): After => (value !== null && typeof value === 'object' ? (value as After) : {});

/** Replies by e-mail: the SMTP listener, the matching pipeline, the triage inbox and draft confirmation. */
@Module({
  imports: [CasesModule, DecisionsModule, SearchModule, ScanningModule],
  controllers: [InboundController],
  providers: [InboundService, InboundMessageRepository, InboundSmtpListener, MailboxPoller, MailboxPollProcessor],
  exports: [InboundService, InboundSmtpListener, MailboxPoller],
})
export class InboundModule implements OnModuleInit {
  constructor(
    private readonly files: CaseFileRegistry,
    private readonly inbound: InboundService,
  ) {}

  onModuleInit(): void {
    this.files.register({ key: 'inbound', load: (caseId, manager) => this.inbound.forCase(caseId, manager) });
    // Each line also as a catalogue message (timeline.inbound.*) for pages in the reader's language.
    const params = (event: { after: unknown }) => ({
      from: String(after(event.after).from ?? '').slice(0, 200),
      subject: String(after(event.after).subject ?? '').slice(0, 200),
      detail: String(after(event.after).detail ?? after(event.after).from ?? '').slice(0, 200),
    });
    const message = (key: string) => (event: { after: unknown }) => ({ key, params: params(event) });
    this.files.describe(
      'inbound.received',
      (event) =>
        `Reply by e-mail from ${String(after(event.after).from)} (draft, to be confirmed): ${String(after(event.after).subject)}`.slice(
          0,
          240,
        ),
      message('timeline.inbound.received'),
    );
    this.files.describe(
      'inbound.confirmed',
      () => 'E-mail reply confirmed as the response',
      message('timeline.inbound.confirmed'),
    );
    this.files.describe(
      'inbound.extension_requested',
      (event) => `E-mail filed as an extension request: ${String(after(event.after).subject)}`.slice(0, 240),
      message('timeline.inbound.extensionRequested'),
    );
    this.files.describe(
      'inbound.dismissed',
      (event) => `E-mail dismissed: ${String(after(event.after).subject)}`.slice(0, 240),
      message('timeline.inbound.dismissed'),
    );
    this.files.describe(
      'inbound.triaged',
      (event) => `E-mail to triage: ${String(after(event.after).subject)}`.slice(0, 240),
      message('timeline.inbound.triaged'),
    );
    this.files.describe(
      'inquiry.bounced',
      (event) => `Inquiry bounced: ${String(after(event.after).detail ?? after(event.after).from)}`.slice(0, 240),
      message('timeline.inbound.bounced'),
    );
    this.files.describe(
      'inquiry.auto_replied',
      (event) => `Automatic reply to the inquiry from ${String(after(event.after).from)}`.slice(0, 240),
      message('timeline.inbound.autoReplied'),
    );
    this.files.describeMessage('inbound.attachment_quarantined', (event) => ({
      key: 'timeline.inbound.attachmentQuarantined',
      params: {
        filename: String(after(event.after).filename ?? ''),
        signature: String(after(event.after).signature ?? ''),
      },
    }));
  }
}

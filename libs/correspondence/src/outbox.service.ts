import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboundMessage } from '#docket/mailing';
import { MailTransport, RequestContext, RUNTIME, type Runtime } from '#docket/platform';

export const OUTBOX_DEFAULT_LIMIT = 100;
export const OUTBOX_MAX_LIMIT = 500;

/** The e-mail the caller's authority sent or is sending: for the API's outbox and the Outbox page. */
@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  /** Where mail goes: "smtp <host>" or "files in <dir>". */
  get transportDescription(): string {
    return this.transport.describe;
  }

  /** The From header every message carries. */
  get from(): string {
    return this.runtime.config.MAIL_FROM;
  }

  /** Newest first. */
  list(limit = OUTBOX_DEFAULT_LIMIT): Promise<OutboundMessage[]> {
    const take = Math.min(Math.max(Math.trunc(limit) || OUTBOX_DEFAULT_LIMIT, 1), OUTBOX_MAX_LIMIT);
    return this.dataSource
      .getRepository(OutboundMessage)
      .find({ where: { authorityId: RequestContext.authorityId() }, order: { createdAt: 'DESC', id: 'DESC' }, take });
  }

  async get(id: string): Promise<OutboundMessage> {
    const message = await this.dataSource
      .getRepository(OutboundMessage)
      .findOne({ where: { id, authorityId: RequestContext.authorityId() } });
    if (!message) throw new NotFoundException(`There is no message ${id} in your authority's outbox.`);
    return message;
  }

  /** The .eml the embedded file transport wrote for the message, or null (sent over SMTP, or the file is gone). */
  async eml(id: string): Promise<Buffer | null> {
    const message = await this.get(id);
    const file = /^written (\S+\.eml)$/.exec(message.smtpResponse ?? '')?.[1];
    return file ? this.transport.readOutboxMessage(file) : null;
  }
}

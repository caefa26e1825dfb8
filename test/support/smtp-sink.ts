import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  parsed: ParsedMail;
  raw: Buffer;
  envelopeTo: string[];
  at: Date;
}

/** A real SMTP server on loopback that keeps what it receives, and can be told to refuse mail. */
export class SmtpSink {
  readonly received: Received[] = [];
  readonly connectionErrors: Error[] = [];
  private refuse: { code: number; remaining: number } | null = null;
  /** Lower-cased recipient → SMTP code it is refused with at RCPT TO, until acceptRecipients. */
  private readonly refusedRecipients = new Map<string, number>();
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const code = this.refusedRecipients.get(address.address.toLowerCase());
        if (code)
          return callback(
            Object.assign(new Error(`<${address.address}>: mailbox unavailable (test refusal)`), {
              responseCode: code,
            }),
          );
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.refuse && this.refuse.remaining > 0) {
            this.refuse.remaining--;
            const error = Object.assign(new Error('Mailbox temporarily unavailable (test refusal)'), {
              responseCode: this.refuse.code,
            });
            return callback(error);
          }
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((parsed) => {
              this.received.push({
                parsed,
                raw,
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                at: new Date(),
              });
              callback();
            })
            .catch(callback);
        });
      },
    });
    // A client that dies mid-session (a killed worker) resets its connection; a mail server carries on.
    this.server.on('error', (error) => this.connectionErrors.push(error));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?ignoreTLS=true`;
  }

  /** Refuses the next `count` messages with an SMTP error (451: try again later). */
  refuseNext(count: number, code = 451): void {
    this.refuse = { code, remaining: count };
  }

  /** Refuses every message to these recipients at RCPT TO (550: mailbox unavailable, a permanent failure). */
  refuseRecipients(addresses: string[], code = 550): void {
    for (const address of addresses) this.refusedRecipients.set(address.toLowerCase(), code);
  }

  /** Accepts mail for these recipients again (all of them when none are named). */
  acceptRecipients(addresses?: string[]): void {
    if (!addresses) this.refusedRecipients.clear();
    else for (const address of addresses) this.refusedRecipients.delete(address.toLowerCase());
  }

  to(address: string): Received[] {
    return this.received.filter((message) => message.envelopeTo.includes(address));
  }

  async waitFor(predicate: (received: Received[]) => boolean, timeoutMs = 15000): Promise<Received[]> {
    const started = Date.now();
    while (!predicate(this.received)) {
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `SMTP sink: condition not met within ${timeoutMs} ms (${this.received.length} messages received)`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.received;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

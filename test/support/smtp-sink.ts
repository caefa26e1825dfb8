import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  parsed: ParsedMail;
  raw: Buffer;
  envelopeTo: string[];
  at: Date;
}

/**
 * A real SMTP server on loopback that keeps what it receives, and can be told to refuse mail (all of it, or per
 * recipient with 4xx or 5xx), to go down and come back on the same port, or to hang before answering.
 */
export class SmtpSink {
  readonly received: Received[] = [];
  readonly connectionErrors: Error[] = [];
  private refuse: { code: number; remaining: number } | null = null;
  /** Lower-cased recipient → SMTP code it is refused with at RCPT TO, until acceptRecipients. */
  private readonly refusedRecipients = new Map<string, number>();
  private server!: SMTPServer;
  port = 0;
  /** Called with each message before it is answered; the answer waits for it (a test cutting the database). */
  beforeAccept: ((raw: Buffer) => Promise<void>) | null = null;
  /** While set, messages are read and never answered (a mail server that hangs). */
  private hanging = false;
  /** Messages being held unanswered by `hang()`. */
  held = 0;
  private running = false;

  async start(): Promise<this> {
    await this.listen(0);
    return this;
  }

  /** The server goes away: open sessions are cut (421) and new connections refused, until `up()`. */
  async down(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The server answers again, on the same port. */
  async up(): Promise<void> {
    if (this.running) return;
    await this.listen(this.port);
  }

  /** Reads messages and never answers them, until `hang(false)`. */
  hang(on = true): void {
    this.hanging = on;
  }

  private async listen(port: number): Promise<void> {
    this.server = this.createServer();
    // A client that dies mid-session (a killed worker) resets its connection; a mail server carries on.
    this.server.on('error', (error) => this.connectionErrors.push(error));
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    this.running = true;
  }

  private createServer(): SMTPServer {
    return new SMTPServer({
      closeTimeout: 100,
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
          if (this.hanging) {
            this.held++;
            return;
          }
          if (this.refuse && this.refuse.remaining > 0) {
            this.refuse.remaining--;
            const error = Object.assign(new Error('Mailbox temporarily unavailable (test refusal)'), {
              responseCode: this.refuse.code,
            });
            return callback(error);
          }
          const raw = Buffer.concat(chunks);
          (this.beforeAccept ? this.beforeAccept(raw) : Promise.resolve())
            .then(() => simpleParser(raw))
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
    this.hanging = false;
    await this.down();
  }
}

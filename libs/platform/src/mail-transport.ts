import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline, Transform, type Readable } from 'node:stream';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';

/** A recipient the server did not take at RCPT TO, with its reply code (4xx: for now, 5xx: for good). */
export interface RecipientRefusal {
  address: string;
  code: number | null;
  reason: string;
}

export interface SentMail {
  messageId: string;
  response: string;
  /** Recipients the server accepted. */
  accepted: string[];
  /** Recipients it refused while accepting the message for the others (nodemailer's `rejected`). */
  rejected: RecipientRefusal[];
}

/** The refusals an SMTP error or result carries per recipient (nodemailer's `rejectedErrors`). */
export function recipientRefusals(source: unknown): RecipientRefusal[] {
  const errors = (source as { rejectedErrors?: unknown } | null)?.rejectedErrors;
  if (!Array.isArray(errors)) return [];
  return errors.map(
    (error: { recipient?: unknown; responseCode?: unknown; response?: unknown; message?: unknown }) => ({
      address: String(error.recipient ?? ''),
      code: typeof error.responseCode === 'number' ? error.responseCode : null,
      reason: String(error.response ?? error.message ?? 'refused'),
    }),
  );
}

export interface OutboxEntry {
  file: string;
  size: number;
  writtenAt: Date;
}

function addresses(value: SendMailOptions['to']): string[] {
  if (!value) return [];
  const list = (Array.isArray(value) ? value.flat() : [value]) as unknown[];
  return list.map((entry) => (typeof entry === 'string' ? entry : String((entry as { address?: unknown }).address)));
}

/**
 * nodemailer options for an SMTP URL: a pool of reused sessions, as a mail server expects from a sender
 * of many messages (a new session per message costs a handshake, and many servers pause before greeting).
 */
export function smtpOptions(smtpUrl: string, ignoreTls: boolean, connections: number) {
  return {
    url: smtpUrl,
    ignoreTLS: ignoreTls,
    pool: true,
    maxConnections: connections,
    connectionTimeout: 10000,
    greetingTimeout: 10000,
    socketTimeout: 30000,
  };
}

/** A message is written to the SMTP socket in pieces of at least this size (the whole message when smaller). */
const SMTP_WRITE_BYTES = 256 * 1024;

/**
 * The message in few chunks: nodemailer streams a message to the SMTP socket part by part (each header block, boundary
 * and body a write of its own, a system call each); gathered, a letter is one write, which costs less CPU than the
 * MIME encoding it follows (measured with bench:reminders, issue 23). A large message still goes in pieces.
 */
function inFewChunks(input: Readable): Readable {
  let chunks: Buffer[] = [];
  let size = 0;
  const gathered = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      size += chunk.length;
      if (size < SMTP_WRITE_BYTES) return done();
      const piece = Buffer.concat(chunks, size);
      chunks = [];
      size = 0;
      done(null, piece);
    },
    flush(done) {
      done(null, size ? Buffer.concat(chunks, size) : undefined);
    },
  });
  return pipeline(input, gathered, () => undefined);
}

/**
 * Sends mail through SMTP when a URL is configured; otherwise writes each message as an .eml file
 * under `<dataDir>/mail`, which the outbox lists.
 */
export class MailTransport {
  private readonly transporter: Transporter;
  /** Where mail goes, for staff: the mail server's host, or the folder messages are written to when none is set. */
  readonly destination: { kind: 'smtp' | 'files'; where: string };
  readonly outboxDir: string | null;
  /** Domain of the sender address, used for Message-IDs. */
  readonly domain: string;

  /** `connections`: SMTP sessions kept open and reused (parameters in the URL, e.g. `?pool=false`, win). */
  constructor(
    smtpUrl: string | undefined,
    dataDir: string,
    readonly defaultFrom: string,
    connections = 8,
  ) {
    this.domain = /@([^>\s]+)>?\s*$/.exec(defaultFrom)?.[1] ?? 'docket.local';
    if (smtpUrl) {
      const parsed = new URL(smtpUrl);
      const ignoreTls = parsed.searchParams.get('ignoreTLS') === 'true';
      this.transporter = nodemailer.createTransport(smtpOptions(smtpUrl, ignoreTls, connections) as never);
      this.transporter.use('stream', (mail, done) => {
        mail.message.processFunc(inFewChunks);
        done();
      });
      this.destination = { kind: 'smtp', where: parsed.host };
      this.outboxDir = null;
    } else {
      this.outboxDir = resolve(dataDir, 'mail');
      mkdirSync(this.outboxDir, { recursive: true });
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.destination = { kind: 'files', where: this.outboxDir };
    }
  }

  /** Where mail goes, for logs and the API: "smtp <host>" or "files in <folder>". */
  get describe(): string {
    const { kind, where } = this.destination;
    return kind === 'smtp' ? `smtp ${where}` : `files in ${where}`;
  }

  /** The address of the sender (MAIL FROM). */
  get fromAddress(): string {
    return /<([^>]+)>/.exec(this.defaultFrom)?.[1] ?? this.defaultFrom.trim();
  }

  /**
   * Sends one message. `envelopeTo` limits the SMTP recipients (the headers still name everyone the letter is
   * addressed to): a message sent again to the recipients that did not take it the first time.
   */
  async send(message: SendMailOptions & { envelopeTo?: string[] | null }): Promise<SentMail> {
    const { envelopeTo, ...options } = message;
    const info = await this.transporter.sendMail({
      from: this.defaultFrom,
      ...options,
      ...(envelopeTo ? { envelope: { from: this.fromAddress, to: envelopeTo } } : {}),
    });
    const recipients = envelopeTo ?? [...addresses(options.to), ...addresses(options.cc), ...addresses(options.bcc)];
    if (this.outboxDir) {
      const raw = (info as unknown as { message: Buffer }).message;
      const safeId = info.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
      const file = `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`;
      writeFileSync(join(this.outboxDir, file), raw);
      return { messageId: info.messageId, response: `written ${file}`, accepted: recipients, rejected: [] };
    }
    const accepted = ((info.accepted ?? []) as unknown[]).map((address) =>
      typeof address === 'string' ? address : String((address as { address?: unknown }).address),
    );
    return {
      messageId: info.messageId,
      response: String(info.response ?? ''),
      accepted,
      rejected: recipientRefusals(info),
    };
  }

  /** Messages written by the file transport, newest first. */
  outbox(): OutboxEntry[] {
    if (!this.outboxDir) return [];
    return readdirSync(this.outboxDir)
      .filter((file) => file.endsWith('.eml'))
      .map((file) => {
        const stat = statSync(join(this.outboxDir as string, file));
        return { file, size: stat.size, writtenAt: stat.mtime };
      })
      .sort((a, b) => b.file.localeCompare(a.file));
  }

  readOutboxMessage(file: string): Buffer | null {
    if (!this.outboxDir || !/^[A-Za-z0-9._-]+\.eml$/.test(file)) return null;
    try {
      return readFileSync(join(this.outboxDir, file));
    } catch {
      return null;
    }
  }

  close(): void {
    this.transporter.close();
  }
}

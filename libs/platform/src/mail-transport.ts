import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';

export interface SentMail {
  messageId: string;
  response: string;
}

export interface OutboxEntry {
  file: string;
  size: number;
  writtenAt: Date;
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

/**
 * Sends mail through SMTP when a URL is configured; otherwise writes each message as an .eml file
 * under `<dataDir>/mail`, which the outbox lists.
 */
export class MailTransport {
  private readonly transporter: Transporter;
  readonly describe: string;
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
      this.describe = `smtp ${parsed.host}`;
      this.outboxDir = null;
    } else {
      this.outboxDir = resolve(dataDir, 'mail');
      mkdirSync(this.outboxDir, { recursive: true });
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.describe = `files in ${this.outboxDir}`;
    }
  }

  async send(message: SendMailOptions): Promise<SentMail> {
    const info = await this.transporter.sendMail({ from: this.defaultFrom, ...message });
    if (this.outboxDir) {
      const raw = (info as unknown as { message: Buffer }).message;
      const safeId = info.messageId.replace(/[^A-Za-z0-9._-]/g, '_');
      const file = `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeId}.eml`;
      writeFileSync(join(this.outboxDir, file), raw);
      return { messageId: info.messageId, response: `written ${file}` };
    }
    return { messageId: info.messageId, response: String(info.response ?? '') };
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

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { Clock, RUNTIME, type Runtime } from '#docket/platform';
import { InboundService } from './inbound.service.js';

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Counts deliveries per key over a sliding minute. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  take(key: string): boolean {
    const since = this.now() - 60_000;
    const recent = (this.hits.get(key) ?? []).filter((at) => at > since);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(this.now());
    this.hits.set(key, recent);
    if (this.hits.size > 10_000)
      for (const [other, times] of this.hits) if (times.every((at) => at <= since)) this.hits.delete(other);
    return true;
  }
}

/**
 * The SMTP listener for replies, in the server process of the `api` role, when INBOUND_SMTP_PORT is set.
 * A message is answered 250 only once it is stored and filed (a temporary 451 otherwise, so the sender retries).
 */
@Injectable()
export class InboundSmtpListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(InboundSmtpListener.name);
  private server: SMTPServer | null = null;
  private limiter: RateLimiter;

  constructor(
    private readonly inbound: InboundService,
    private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    this.limiter = new RateLimiter(runtime.config.INBOUND_RATE_PER_MINUTE, () => this.clock.now().getTime());
  }

  /** The port listened on, or null when the listener is off. */
  get port(): number | null {
    const address = this.server?.server.address() as AddressInfo | null | undefined;
    return address?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const config = this.runtime.config;
    if (config.INBOUND_SMTP_PORT === undefined || !config.DOCKET_ROLES.includes('api')) return;
    const maxBytes = config.INBOUND_MAX_BYTES;
    const tls =
      config.INBOUND_TLS_KEY && config.INBOUND_TLS_CERT
        ? { key: readFileSync(config.INBOUND_TLS_KEY), cert: readFileSync(config.INBOUND_TLS_CERT) }
        : null;
    const options: SMTPServerOptions = {
      logger: false,
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['STARTTLS', 'AUTH'],
      ...(tls ?? {}),
      size: maxBytes,
      maxClients: 100,
      socketTimeout: 60_000,
      onMailFrom: (address, session, callback) => {
        const key = address.address ? address.address.toLowerCase() : `<>@${session.remoteAddress}`;
        if (!this.limiter.take(key))
          return callback(smtpError(450, '4.7.1 Too many messages from this sender; try again later'));
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        const domain = address.address.split('@').pop()?.toLowerCase() ?? '';
        if (!this.inbound.domains.has(domain))
          return callback(smtpError(550, '5.7.1 Relaying denied: this server accepts mail only for its own domains'));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) chunks.push(chunk);
        });
        stream.on('end', () => {
          if (stream.sizeExceeded || size > maxBytes)
            return callback(smtpError(552, `5.3.4 Message too big: the limit is ${maxBytes} bytes`));
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          };
          this.inbound.ingest(Buffer.concat(chunks), envelope).then(
            (message) => callback(null, `2.0.0 Stored as ${message.id}`),
            (error: unknown) => {
              this.logger.error(
                `could not store a received message: ${error instanceof Error ? error.message : String(error)}`,
              );
              callback(smtpError(451, '4.3.0 Could not store the message; try again later'));
            },
          );
        });
      },
    };
    const server = new SMTPServer(options);
    server.on('error', (error) => this.logger.warn(`SMTP listener: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(config.INBOUND_SMTP_PORT, config.INBOUND_SMTP_HOST, () => resolve());
    });
    this.server = server;
    this.logger.log(
      `SMTP listener on ${config.INBOUND_SMTP_HOST}:${this.port} for ${[...this.inbound.domains.keys()].join(', ')}`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

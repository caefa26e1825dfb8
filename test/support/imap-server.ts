import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

const DOVECOT = '/usr/sbin/dovecot';
/** Mail processes may not run as root; the throwaway mailboxes belong to `nobody`. */
const MAIL_UID = 65534;
const MAIL_GID = 65534;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A throwaway Dovecot IMAP server on loopback (Debian's dovecot-imapd, installed by .ci/run): its own
 * configuration, users and maildirs in a temporary folder, plaintext login, no TLS; stopped and
 * deleted by `stop`. Independent of any system Dovecot.
 */
export class ImapServer {
  private child: ChildProcess | null = null;
  private dir = '';
  port = 0;
  readonly user = 'authority';
  readonly password = 'imap-test-password';

  /** imap:// URL of the mailbox with its credentials, as INBOUND_IMAP_URL takes it. */
  get url(): string {
    return `imap://${this.user}:${this.password}@127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.dir = await mkdtemp(join(tmpdir(), 'docket-imap-'));
    this.port = await freePort();
    for (const sub of ['run', 'state', 'mail']) await mkdir(join(this.dir, sub));
    // Dovecot's login processes run as dovenull and must reach the run folder.
    await chmod(this.dir, 0o755);
    await chown(join(this.dir, 'mail'), MAIL_UID, MAIL_GID);
    await writeFile(join(this.dir, 'users'), `${this.user}:{PLAIN}${this.password}::::::\n`);
    const config = [
      'protocols = imap',
      'listen = 127.0.0.1',
      `base_dir = ${this.dir}/run`,
      `state_dir = ${this.dir}/state`,
      `log_path = ${this.dir}/dovecot.log`,
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      `mail_location = maildir:${this.dir}/mail/%u`,
      `first_valid_uid = ${MAIL_UID}`,
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${this.dir}/users\n}`,
      `userdb {\n  driver = static\n  args = uid=${MAIL_UID} gid=${MAIL_GID} home=${this.dir}/mail/%u\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${this.port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service anvil {\n  chroot =\n}',
      'service imap-login {\n  chroot =\n}',
    ].join('\n');
    await writeFile(join(this.dir, 'dovecot.conf'), config + '\n');
    const child = spawn(DOVECOT, ['-F', '-c', join(this.dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    this.child = child;
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`dovecot exited with ${child.exitCode}: ${output}${await this.log()}`);
      if (await this.answers()) return this;
      if (Date.now() - started > 10_000)
        throw new Error(`dovecot did not answer on port ${this.port}: ${output}${await this.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A client of the mailbox, as the authority's mail provider or its staff would use it. */
  async client(): Promise<ImapFlow> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user: this.user, pass: this.password },
      logger: false,
    });
    await client.connect();
    return client;
  }

  /** Puts a message into `folder` as if it had been delivered there, unseen. */
  async deliver(raw: string | Buffer, folder = 'INBOX', internalDate?: Date): Promise<number> {
    const client = await this.client();
    try {
      if (folder !== 'INBOX') await client.mailboxCreate(folder).catch(() => undefined);
      const appended = await client.append(folder, raw, [], internalDate);
      if (!appended || !appended.uid) throw new Error('the IMAP server did not report the appended message');
      return appended.uid;
    } finally {
      await client.logout();
    }
  }

  /** The flags of every message in `folder`, by UID. */
  async flags(folder = 'INBOX'): Promise<Map<number, Set<string>>> {
    const client = await this.client();
    try {
      const lock = await client.getMailboxLock(folder);
      try {
        const flags = new Map<number, Set<string>>();
        for await (const message of client.fetch('1:*', { uid: true, flags: true }))
          flags.set(message.uid, message.flags ?? new Set());
        return flags;
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  }

  private async answers(): Promise<boolean> {
    try {
      const client = await this.client();
      await client.logout();
      return true;
    } catch {
      return false;
    }
  }

  private async log(): Promise<string> {
    return readFile(join(this.dir, 'dovecot.log'), 'utf8').then(
      (log) => `\n${log}`,
      () => '',
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { QueueName } from '#docket/platform';
import {
  bearer,
  createTenant,
  startTestApp,
  sysadminToken,
  type QueueKind,
  type Tenant,
  type TestApp,
} from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';
import { cookieHeader, pageSession } from './support/page-session.js';
import { SmtpSink, type Received } from './support/smtp-sink.js';

const MAIL_FROM = 'Garante <protocollo@gpdp.example>';
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messageIdOf = (mail: Received) => String(mail.parsed.messageId ?? '');

interface Row {
  id: string;
  kind: string;
  status: string;
  dedupe_key: string;
  parent_id: string | null;
  envelope_to: string[] | null;
  accepted: string[];
  refused: string[];
  attempts: number;
  resends: number;
  waiting_since: Date | null;
  created_at: Date;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000) {
  const started = Date.now();
  for (;;) {
    // A probe that fails (a connection cut by the test) is tried again.
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

describe('mail that outlives an outage of the mail server (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  let test: TestApp;
  let gpdp: Tenant;
  let organisationId: string;
  let admin: string;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    test = await startTestApp({
      env: {
        SMTP_URL: sink.url,
        MAIL_FROM,
        // Short pauses and window, so that minutes of an outage fit in a test.
        MAIL_RETRY_MAX_INTERVAL: '1s',
        MAIL_RETRY_WINDOW: '10m',
      },
    });
    gpdp = await createTenant(test, 'GPDP');
    organisationId = await createProvider(test, gpdp.tokens.officer);
    admin = await sysadminToken(test);
  });
  afterAll(async () => {
    await test.close();
    await sink.stop();
  });

  const rows = (where = 'true', params: unknown[] = []): Promise<Row[]> =>
    test.app
      .get(DataSource)
      .query(
        `SELECT id, kind, status, dedupe_key, parent_id, envelope_to, accepted, refused, attempts, resends, waiting_since, created_at FROM outbound_messages WHERE ${where} ORDER BY created_at`,
        params,
      );

  const sendInquiry = async (caseId: string, to: string[]) =>
    (
      await test
        .http()
        .post(`/api/v1/cases/${caseId}/inquiries`)
        .set(bearer(gpdp.tokens.officer))
        .send({ template: 'ai-inquiry', locale: 'en', to, deadline: { count: 20, unit: 'calendar_days' } })
        .expect(202)
    ).body as { id: string; deadline: { id: string } };

  const deadline = async (id: string) =>
    (await test.http().get(`/api/v1/deadlines/${id}`).set(bearer(gpdp.tokens.officer)).expect(200)).body as {
      status: string;
      dueAt: string;
      reminders: { status: string; audience: string; offset: string }[];
      history: { action: string; reason: string | null }[];
    };

  it('keeps mail waiting while the server is down and then answers 451, delivers each message once when it is back, and suspends no deadline', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    const startedAt = new Date();
    await sink.down();
    const inquiries = [];
    for (let i = 0; i < 3; i++) inquiries.push(await sendInquiry(kase.id, [`dpo${i}@provider.example`]));
    for (let i = 0; i < 4; i++)
      await test
        .http()
        .post(`/api/v1/cases/${kase.id}/deadlines`)
        .set(bearer(gpdp.tokens.officer))
        .send({
          label: `Check ${i}`,
          dueAt: inSeconds(60),
          reminders: [
            { offset: '-PT58S', audience: 'manager' },
            { offset: '-PT58S', audience: 'assignee' },
          ],
        })
        .expect(201);
    const expected = 3 + 8;
    const mine = "created_at >= $1 AND kind <> 'notification'";
    await until('every message waits', async () => {
      const list = await rows(mine, [startedAt]);
      return list.length === expected && list.every((row) => row.status === 'waiting');
    });

    // Staff and operators see it; the process stays ready, degraded.
    const ready = await test.http().get('/health/ready').expect(200);
    expect(ready.body.details.mail).toMatchObject({ status: 'up', state: 'degraded' });
    expect(ready.body.details.mail.waiting).toBeGreaterThanOrEqual(expected);
    const status = (await test.http().get('/api/v1/admin/mail').set(bearer(admin)).expect(200)).body;
    expect(status).toMatchObject({ waiting: expect.any(Number), waitingSince: expect.any(String) });
    expect(status.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
    const outbox = (await test.http().get('/api/v1/outbox').set(bearer(gpdp.tokens.manager)).expect(200)).body
      .items as {
      status: string;
      waitingSince: string | null;
      lastError: string | null;
    }[];
    expect(outbox.filter((message) => message.status === 'waiting').length).toBeGreaterThanOrEqual(expected);
    expect(outbox.find((message) => message.status === 'waiting')).toMatchObject({
      waitingSince: expect.any(String),
      lastError: expect.stringMatching(/ECONNREFUSED/),
    });
    const session = cookieHeader(await pageSession(test, 'manager@gpdp.test', 'manager-password-123'));
    const page = await test.http().get('/outbox').set('cookie', session).expect(200);
    expect(page.text).toContain('waiting for the mail server');
    const operator = cookieHeader(await pageSession(test, 'sysadmin@docket.test', 'sysadmin-password-1'));
    const queues = await test.http().get('/admin/queues').set('cookie', operator).expect(200);
    expect(queues.text).toMatch(/\d+ messages? waiting for the mail server since/);

    // Minutes of an outage are only a few attempts each: nothing failed, no deadline suspended, no reminder failed.
    await sleep(4000);
    expect((await rows(mine, [startedAt])).filter((row) => row.status === 'failed')).toEqual([]);
    for (const inquiry of inquiries) expect((await deadline(inquiry.deadline.id)).status).toBe('pending');

    // The server comes back answering 451 for a while, then takes everything.
    sink.refuseNext(4, 451);
    await sink.up();
    const done = await until(
      'every message sent',
      async () => {
        const list = await rows(mine, [startedAt]);
        return list.every((row) => row.status === 'sent') && list;
      },
      60_000,
    );
    await sleep(1500);
    const counts = new Map<string, number>();
    for (const mail of sink.received) counts.set(messageIdOf(mail), (counts.get(messageIdOf(mail)) ?? 0) + 1);
    for (const row of done)
      expect({ id: row.id, copies: counts.get(`<${row.id}@gpdp.example>`) }).toEqual({ id: row.id, copies: 1 });
    for (const inquiry of inquiries) {
      expect((await deadline(inquiry.deadline.id)).status).toBe('pending');
      const view = await test.http().get(`/api/v1/inquiries/${inquiry.id}`).set(bearer(gpdp.tokens.officer));
      expect(view.body.status).toBe('sent');
    }
    expect(done.every((row) => row.resends === 0)).toBe(true);
    const after = await test.http().get('/health/ready').expect(200);
    expect(after.body.details.mail.state).toBe('ok');
  }, 120_000);

  it('records a message refused (550) for one of two recipients as sent to the other, and fails the refused part on its own', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    sink.refuseRecipients(['legal@provider.example'], 550);
    try {
      const inquiry = await sendInquiry(kase.id, ['dpo@provider.example', 'legal@provider.example']);
      const [parent] = await until('the letter is sent', async () => {
        const list = await rows(`dedupe_key = $1 AND status = 'sent'`, [`inquiry.${inquiry.id}`]);
        return list.length ? list : null;
      });
      expect(parent).toMatchObject({ accepted: ['dpo@provider.example'], refused: ['legal@provider.example'] });
      const [part] = await rows('parent_id = $1', [parent.id]);
      expect(part).toMatchObject({ status: 'failed', envelope_to: ['legal@provider.example'] });
      // Only the accepting recipient got it; the letter's clock runs; staff are told which address refused it.
      const copies = sink.received.filter((mail) => messageIdOf(mail) === `<${parent.id}@gpdp.example>`);
      expect(copies.map((mail) => mail.envelopeTo)).toEqual([['dpo@provider.example']]);
      expect((await deadline(inquiry.deadline.id)).status).toBe('pending');
      const notice = await sink.waitFor(
        (received) =>
          received.some(
            (mail) =>
              String(mail.parsed.text ?? '').includes('legal@provider.example') &&
              mail.envelopeTo.includes('officer@gpdp.test'),
          ),
        15_000,
      );
      const told = notice.find(
        (mail) =>
          String(mail.parsed.text ?? '').includes('legal@provider.example') &&
          mail.envelopeTo.includes('officer@gpdp.test'),
      );
      expect(told?.envelopeTo).toEqual(['officer@gpdp.test']);
      expect(told?.parsed.text).toContain('legal@provider.example');
      const outbox = (await test.http().get(`/api/v1/outbox/${parent.id}`).set(bearer(gpdp.tokens.officer)).expect(200))
        .body;
      expect(outbox).toMatchObject({ accepted: ['dpo@provider.example'], refused: ['legal@provider.example'] });
    } finally {
      sink.acceptRecipients();
    }
  });

  it('sends a deferred (451) recipient later on its own, with the same Message-ID', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    sink.refuseRecipients(['slow@provider.example'], 451);
    const inquiry = await sendInquiry(kase.id, ['dpo@provider.example', 'slow@provider.example']);
    const [parent] = await until('the letter is sent', async () => {
      const list = await rows(`dedupe_key = $1 AND status = 'sent'`, [`inquiry.${inquiry.id}`]);
      return list.length ? list : null;
    });
    const [part] = await until('the deferred part waits', async () => {
      const list = await rows(`parent_id = $1 AND status = 'waiting'`, [parent.id]);
      return list.length ? list : null;
    });
    expect(part.envelope_to).toEqual(['slow@provider.example']);
    sink.acceptRecipients();
    await until('the deferred part is sent', async () => (await rows(`id = $1 AND status = 'sent'`, [part.id])).length);
    const copies = sink.received.filter((mail) => messageIdOf(mail) === `<${parent.id}@gpdp.example>`);
    expect(copies.map((mail) => mail.envelopeTo)).toEqual([['dpo@provider.example'], ['slow@provider.example']]);
  });

  it('sends a failed message when an operator retries its job, and failed mail in bulk', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    sink.refuseRecipients(['gone@provider.example', 'gone2@provider.example'], 550);
    const first = await sendInquiry(kase.id, ['gone@provider.example']);
    const second = await sendInquiry(kase.id, ['gone2@provider.example']);
    const failed = await until('both letters fail', async () => {
      const list = await rows(`dedupe_key IN ($1, $2) AND status = 'failed'`, [
        `inquiry.${first.id}`,
        `inquiry.${second.id}`,
      ]);
      return list.length === 2 && list;
    });
    expect((await deadline(first.deadline.id)).status).toBe('suspended');
    sink.acceptRecipients();

    // The failed send job, retried from the queues page's API, sends its message.
    const mailQueue = test.app.get<Queue>(getQueueToken(QueueName.Mail), { strict: false });
    const firstRow = failed.find((row) => row.dedupe_key === `inquiry.${first.id}`) as Row;
    const job = await until('the failed send job', async () => {
      const jobs = await mailQueue.getFailed();
      return jobs.find((candidate) => candidate.data.outboundMessageId === firstRow.id);
    });
    await test.http().post(`/api/v1/admin/queues/mail/jobs/${job.id}/retry`).set(bearer(admin)).expect(200);
    await sink.waitFor((received) => received.some((mail) => messageIdOf(mail) === `<${firstRow.id}@gpdp.example>`));
    await until('the first letter is recorded sent', async () => {
      const view = await test.http().get(`/api/v1/inquiries/${first.id}`).set(bearer(gpdp.tokens.officer));
      return view.body.status === 'sent';
    });

    // Bulk: every failed message (here the second letter).
    await test
      .http()
      .post('/api/v1/admin/mail/retry')
      .set(bearer(admin))
      .send({ statuses: ['nope'] })
      .expect(400);
    await test
      .http()
      .post('/api/v1/admin/mail/retry')
      .set(bearer(gpdp.tokens.admin))
      .send({ statuses: ['failed'] })
      .expect(403);
    const bulk = await test
      .http()
      .post('/api/v1/admin/mail/retry')
      .set(bearer(admin))
      .send({ statuses: ['failed', 'waiting'] })
      .expect(200);
    const secondRow = failed.find((row) => row.dedupe_key === `inquiry.${second.id}`) as Row;
    expect(bulk.body.messages).toEqual(expect.arrayContaining([{ id: secondRow.id, status: 'failed' }]));
    await sink.waitFor((received) => received.some((mail) => messageIdOf(mail) === `<${secondRow.id}@gpdp.example>`));
    await until(
      'the second letter is recorded sent',
      async () => (await rows(`id = $1 AND status = 'sent'`, [secondRow.id])).length,
    );
  });

  it('plans the reminders again when a deadline is suspended and resumed the same day, and keeps its instant', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    const dueAt = new Date(Date.now() + 3 * 86_400_000);
    dueAt.setUTCHours(12, 0, 0, 0);
    const created = (
      await test
        .http()
        .post(`/api/v1/cases/${kase.id}/deadlines`)
        .set(bearer(gpdp.tokens.officer))
        .send({
          label: 'Same-day resume',
          dueAt: dueAt.toISOString(),
          reminders: [
            { offset: '-P1D', audience: 'assignee' },
            { offset: 'PT0S', audience: 'manager' },
          ],
        })
        .expect(201)
    ).body as { id: string };
    const act = (action: string) =>
      test
        .http()
        .post(`/api/v1/deadlines/${created.id}/${action}`)
        .set(bearer(gpdp.tokens.officer))
        .send({ reason: `${action} by mistake` })
        .expect(200);
    await act('suspend');
    await act('resume');
    const after = await deadline(created.id);
    expect(after.status).toBe('pending');
    expect(new Date(after.dueAt).toISOString()).toBe(dueAt.toISOString());
    expect(
      after.reminders.filter((reminder) => reminder.status === 'scheduled').map((r) => `${r.offset}/${r.audience}`),
    ).toEqual(['-P1D/assignee', 'PT0S/manager']);
  });

  it('never rewrites a reminder sent while a change of its deadline was under way, and says in the history that one went out just before', async () => {
    const kase = await createCase(test, gpdp, organisationId);
    const create = async (label: string, fireIn: number) =>
      (
        await test
          .http()
          .post(`/api/v1/cases/${kase.id}/deadlines`)
          .set(bearer(gpdp.tokens.officer))
          .send({ label, dueAt: inSeconds(fireIn + 3600), reminders: [{ offset: '-PT1H', audience: 'manager' }] })
          .expect(201)
      ).body as { id: string };

    // A change holds the deadline when the reminder's time comes: the reminder is sent, and the change's cancel (only
    // rows still scheduled) leaves it sent.
    const raced = await create('Raced by a change', 3);
    const client = new pg.Client({ connectionString: test.databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT id FROM deadlines WHERE id = $1 FOR UPDATE', [raced.id]);
      await until('the reminder is sent', async () => (await deadline(raced.id)).reminders[0]?.status === 'sent');
      const cancelled = await client.query(
        `UPDATE reminders SET status = 'cancelled', note = 'test change' WHERE deadline_id = $1 AND status IN ('scheduled', 'held')`,
        [raced.id],
      );
      expect(cancelled.rowCount).toBe(0);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect((await deadline(raced.id)).reminders.map((reminder) => reminder.status)).toEqual(['sent']);

    // A reminder that went out just before an extension: it stays sent, and the history says so.
    const fired = await create('Fired before a change', 2);
    await until('the reminder is sent', async () => (await deadline(fired.id)).reminders[0]?.status === 'sent');
    await test
      .http()
      .post(`/api/v1/deadlines/${fired.id}/extend`)
      .set(bearer(gpdp.tokens.officer))
      .send({ count: 5, unit: 'calendar_days', reason: 'asked for time' })
      .expect(200);
    const history = (await deadline(fired.id)).history;
    expect(history.map((event) => event.action)).toEqual(['created', 'reminder_sent', 'extended']);
    expect(history[1].reason).toMatch(/went out at .*just before this change/);
    expect((await deadline(fired.id)).reminders[0].status).toBe('sent');
  }, 60_000);
});

describe.each<QueueKind>(['postgres', 'redis'])(
  'the database connection cut right after the mail server took a message (%s queue backend)',
  (queue) => {
    let sink: SmtpSink;
    let test: TestApp;
    let gpdp: Tenant;
    let organisationId: string;
    let operator: string;

    beforeAll(async () => {
      sink = await new SmtpSink().start();
      test = await startTestApp({ queue, env: { SMTP_URL: sink.url, MAIL_FROM } });
      gpdp = await createTenant(test, 'GPDP');
      organisationId = await createProvider(test, gpdp.tokens.officer);
      operator = await sysadminToken(test);
    });
    afterAll(async () => {
      await test.close();
      await sink.stop();
    });

    it('records what the server took, and sends nothing twice', async () => {
      const kase = await createCase(test, gpdp, organisationId);
      const client = new pg.Client({ connectionString: test.databaseUrl });
      await client.connect();
      const rows = async (startedAt: Date) =>
        (
          await client.query<{ id: string; status: string; resends: number }>(
            `SELECT id, status, resends FROM outbound_messages WHERE created_at >= $1 AND dedupe_key LIKE 'reminder.%'`,
            [startedAt],
          )
        ).rows;
      let cuts = 0;
      sink.beforeAccept = async () => {
        if (cuts >= 4) return;
        cuts++;
        // Every connection of the application (not this one), right before the server answers 250: BullMQ's too on
        // its PostgreSQL backend, whose LISTEN connection then opens again (patches/bullmq+6.7.0.patch: a cut that
        // arrives with the answer to its connect ended the process).
        await client.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        );
      };
      const startedAt = new Date();
      try {
        const dueAt = inSeconds(3605);
        for (let i = 0; i < 4; i++)
          await test
            .http()
            .post(`/api/v1/cases/${kase.id}/deadlines`)
            .set(bearer(gpdp.tokens.officer))
            .send({ label: `Cut ${i}`, dueAt, reminders: [{ offset: '-PT1H', audience: 'manager' }] })
            .expect(201);
        const sent = await until(
          'every reminder recorded sent',
          async () => {
            const list = await rows(startedAt);
            return list.length === 4 && list.every((row) => row.status === 'sent') && list;
          },
          60_000,
        );
        await sleep(1000);
        expect(cuts).toBeGreaterThan(0);
        for (const row of sent) {
          expect(sink.received.filter((mail) => messageIdOf(mail) === `<${row.id}@gpdp.example>`)).toHaveLength(1);
          expect(row.resends).toBe(0);
        }
        sink.beforeAccept = null;
        const status = (await test.http().get('/api/v1/admin/mail').set(bearer(operator)).expect(200)).body;
        expect(status).toMatchObject({ resends: 0, resentMessages: 0 });
      } finally {
        sink.beforeAccept = null;
        await client.end();
      }
    }, 90_000);
  },
);

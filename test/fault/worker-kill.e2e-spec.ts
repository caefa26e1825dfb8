import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { QueueName } from '#docket/platform';
import {
  bearer,
  createTenant,
  REDIS_URL,
  startTestApp,
  type QueueKind,
  type Tenant,
  type TestApp,
} from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { SmtpSink, type Received } from '../support/smtp-sink.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const MAIL_FROM = 'Garante <protocollo@gpdp.example>';
const DEADLINES = 40;
// Per deadline, two reminders 3 s before the due instant, two 1 s before and one at it: bursts of 80,
// 80 and 40. The worker is killed while it fires the second burst, after it delivered some of the first.
const PLAN = [
  { offset: '-PT3S', audience: 'assignee' },
  { offset: '-PT3S', audience: 'manager' },
  { offset: '-PT1S', audience: 'assignee' },
  { offset: '-PT1S', audience: 'manager' },
  { offset: 'PT0S', audience: 'assignee' },
];
const REMINDERS = DEADLINES * PLAN.length;
const FIRST_BURST = DEADLINES * 2;
// A killed worker's jobs come back once their lock has expired and a stalled check has seen them
// twice; BullMQ's 30 s defaults would make this test slow, not more faithful.
const RECOVERY = { QUEUE_LOCK_DURATION_MS: '5000', QUEUE_STALLED_INTERVAL_MS: '1000' };
const MAIL_CONCURRENCY = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messageIdOf = (mail: Received) => String(mail.parsed.messageId ?? '');

function countBy(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

interface ReminderRow {
  id: string;
  status: string;
  outbound_message_id: string | null;
}

describe.each<QueueKind>(['postgres', 'redis'])(
  'killing a worker process mid-batch (%s queue backend, real SMTP on loopback)',
  (queue) => {
    let sink: SmtpSink;
    let test: TestApp;
    let gpdp: Tenant;
    let caseId: string;
    /** Every worker process started, also one still starting when a test fails: afterAll ends them all. */
    const started: Promise<WorkerProcess>[] = [];
    /** The first worker, started while the authority and the case are set up. */
    let firstWorker: Promise<WorkerProcess>;

    beforeAll(async () => {
      sink = await new SmtpSink().start();
      test = await startTestApp({ queue, roles: 'api', env: { SMTP_URL: sink.url, MAIL_FROM } });
      firstWorker = startWorker();
      gpdp = await createTenant(test, 'GPDP');
      caseId = (await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer))).id;
    });
    afterAll(async () => {
      for (const worker of started)
        await worker.then(
          (running) => running.kill(),
          () => undefined,
        );
      await test.close();
      await sink.stop();
    });

    const startWorker = () => {
      const worker = startWorkerProcess({
        DATABASE_URL: test.databaseUrl,
        QUEUE_PREFIX: test.database.name,
        SMTP_URL: sink.url,
        MAIL_FROM,
        LOG_LEVEL: 'warn',
        DOCKET_DATA_DIR: `var/test/${test.database.name}`,
        ...RECOVERY,
        MAIL_CONCURRENCY: String(MAIL_CONCURRENCY),
        ...(queue === 'redis' ? { REDIS_URL } : {}),
      });
      started.push(worker);
      worker.catch(() => undefined);
      return worker;
    };

    const reminders = async (): Promise<ReminderRow[]> =>
      test.app
        .get(DataSource)
        .query(
          `SELECT r.id, r.status, r.outbound_message_id FROM reminders r JOIN deadlines d ON d.id = r.deadline_id WHERE d.case_id = $1`,
          [caseId],
        );

    const outbound = async (): Promise<{ id: string; dedupe_key: string; status: string }[]> =>
      test.app
        .get(DataSource)
        .query(`SELECT id, dedupe_key, status FROM outbound_messages WHERE dedupe_key LIKE 'reminder.%'`);

    it('loses no reminder and sends none twice, except a message the mail server had already taken from the killed worker', async () => {
      const first = await firstWorker;
      // 20 s: forty deadlines are created first, which on a loaded machine took longer than the 9 s this was.
      const dueAt = new Date(Date.now() + 20_000).toISOString();
      for (let i = 0; i < DEADLINES; i++) {
        await test
          .http()
          .post(`/api/v1/cases/${caseId}/deadlines`)
          .set(bearer(gpdp.tokens.officer))
          .send({ label: `Follow-up check ${i + 1}`, dueAt, reminders: PLAN })
          .expect(201);
      }
      const planned = await reminders();
      expect(planned).toHaveLength(REMINDERS);
      expect(planned.every((reminder) => reminder.status === 'scheduled')).toBe(true);

      // Killed as soon as the first message of the second burst arrives: the first burst is delivered, the
      // second is being fired and sent, the third is still to come.
      await sink.waitFor((received) => received.length > FIRST_BURST, 30_000);
      await first.kill('SIGKILL');
      const deliveredAtKill = sink.received.length;
      expect(deliveredAtKill).toBeLessThan(REMINDERS);
      // The killed worker may have written a message whose acceptance the sink has not handled yet.
      await sleep(500);
      const beforeRestart = countBy(sink.received.map(messageIdOf));

      const second = await startWorker();
      const mail = test.app.get<Queue>(getQueueToken(QueueName.Mail), { strict: false });
      const started = Date.now();
      for (;;) {
        const [rows, messages, pending] = await Promise.all([
          reminders(),
          outbound(),
          mail.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
        ]);
        const settled =
          rows.every((row) => row.status !== 'scheduled') &&
          messages.length === REMINDERS &&
          messages.every((message) => message.status !== 'queued');
        if (settled && Object.values(pending).every((count) => count === 0)) break;
        if (Date.now() - started > 45_000) {
          throw new Error(
            `not settled 45 s after the restart: ${rows.filter((row) => row.status === 'scheduled').length} reminders scheduled, ${messages.filter((m) => m.status === 'queued').length}/${messages.length} messages queued, mail jobs ${JSON.stringify(pending)}, ${sink.received.length} received\nworker output:\n${second.output()}`,
          );
        }
        await sleep(200);
      }
      // Nothing can be sent once every message is marked sent; this only gives a stray copy time to show.
      await sleep(1000);
      expect(second.child.exitCode).toBeNull();

      const rows = await reminders();
      const messages = await outbound();
      expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
      // One outbound message per reminder, found by its dedupe key and pointed at by the reminder.
      const byKey = new Map(messages.map((message) => [message.dedupe_key, message]));
      expect(messages).toHaveLength(REMINDERS);
      for (const row of rows) expect(byKey.get(`reminder.${row.id}`)?.id).toBe(row.outbound_message_id);
      expect(messages.filter((message) => message.status !== 'sent')).toEqual([]);

      // The sink received every message, by its deterministic Message-ID, and nothing else.
      const counts = countBy(sink.received.map(messageIdOf));
      const expected = messages.map((message) => `<${message.id}@gpdp.example>`).sort();
      expect([...counts.keys()].sort()).toEqual(expected);

      // Handing a message to the mail server cannot be atomic with the database: the server accepts
      // it (250) and only then does the worker mark the row sent. A worker killed between the two
      // leaves the row queued, so its stalled send job runs again and the message goes out a second
      // time, with the same Message-ID so that the receiving system can drop the copy. So a second
      // copy is allowed only of a message the sink had accepted before the new worker started (from
      // the killed worker), only once, and for at most the sends the killed worker had in flight
      // (MAIL_CONCURRENCY sends, each on its own SMTP session). Every other message arrives once.
      const resent = [...counts].filter(([, copies]) => copies > 1);
      expect(resent.length).toBeLessThanOrEqual(MAIL_CONCURRENCY);
      for (const [messageId, copies] of resent) {
        expect({ messageId, copies, beforeRestart: beforeRestart.get(messageId) }).toEqual({
          messageId,
          copies: 2,
          beforeRestart: 1,
        });
      }
    }, 120_000);
  },
);

import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobName, jobNeedsAdding, QueueName } from '#docket/platform';
import { bearer, createTenant, startTestApp, sysadminToken, type QueueKind, type TestApp } from './support/app.js';

describe('queue status for operators', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('lists queues with counts, shows failed jobs with their error and retries them, for sysadmins only', async () => {
    const admin = await sysadminToken(test);
    const tenant = await createTenant(test, 'GPDP');
    const queues = await test.http().get('/api/v1/admin/queues').set(bearer(admin)).expect(200);
    expect(queues.body.map((q: { name: string }) => q.name).sort()).toEqual([
      'campaigns',
      'inbound',
      'mail',
      'maintenance',
      'reminders',
      'reporting',
    ]);
    expect(queues.body[0].counts).toHaveProperty('failed');
    await test.http().get('/api/v1/admin/queues').set(bearer(tenant.tokens.admin)).expect(403);
    await test.http().get('/api/v1/admin/queues/nope/failed').set(bearer(admin)).expect(404);

    const mail = test.app.get<Queue>(getQueueToken(QueueName.Mail), { strict: false });
    await mail.add('no-such-job', { outboundMessageId: 'x' }, { jobId: 'broken-1' });
    let failed: { id: string; failedReason: string }[] = [];
    for (let i = 0; i < 100 && failed.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      failed = (await test.http().get('/api/v1/admin/queues/mail/failed').set(bearer(admin)).expect(200)).body;
    }
    expect(failed[0]).toMatchObject({ id: 'broken-1', failedReason: 'mail queue has no handler for job no-such-job' });
    await test.http().post('/api/v1/admin/queues/mail/jobs/broken-1/retry').set(bearer(admin)).expect(200);
    await test.http().post('/api/v1/admin/queues/mail/jobs/missing/retry').set(bearer(admin)).expect(404);
  });
});

describe.each<QueueKind>(['postgres', 'redis'])('whether a job must be added again, on the %s backend', (kind) => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp({ queue: kind });
  });
  afterAll(() => test.close());

  async function finished(queue: Queue, id: string) {
    for (let i = 0; i < 150; i++) {
      const job = await queue.getJob(id);
      if (job?.finishedOn) return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`job ${id} did not finish`);
  }

  it('adds a missing or finished job again (freeing its id) and leaves a waiting or delayed one alone', async () => {
    const reminders = test.app.get<Queue>(getQueueToken(QueueName.Reminders), { strict: false });
    const mail = test.app.get<Queue>(getQueueToken(QueueName.Mail), { strict: false });
    await expect(jobNeedsAdding(reminders, `never-added-${randomUUID()}`)).resolves.toBe(true);

    const delayed = `delayed-${randomUUID()}`;
    await reminders.add(
      JobName.FireReminder,
      { reminderId: randomUUID(), fireAt: new Date(Date.now() + 3_600_000).toISOString() },
      { jobId: delayed, delay: 3_600_000 },
    );
    await expect(jobNeedsAdding(reminders, delayed)).resolves.toBe(false);
    await expect(reminders.getJobState(delayed)).resolves.toBe('delayed');

    // A reminder job whose row does not exist does nothing and completes.
    const completed = `completed-${randomUUID()}`;
    await reminders.add(
      JobName.FireReminder,
      { reminderId: randomUUID(), fireAt: new Date().toISOString() },
      { jobId: completed },
    );
    expect((await finished(reminders, completed)).failedReason ?? null).toBeNull();
    await expect(jobNeedsAdding(reminders, completed)).resolves.toBe(true);
    await expect(reminders.getJob(completed)).resolves.toBeUndefined();

    const failed = `failed-${randomUUID()}`;
    await mail.add('no-such-job', { outboundMessageId: 'x' }, { jobId: failed });
    expect((await finished(mail, failed)).failedReason).toContain('no handler');
    await expect(jobNeedsAdding(mail, failed)).resolves.toBe(true);
    await expect(mail.getJob(failed)).resolves.toBeUndefined();
  });
});

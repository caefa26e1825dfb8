import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QueueName } from '#docket/platform';
import { bearer, createTenant, startTestApp, sysadminToken, type TestApp } from './support/app.js';

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
    expect(queues.body.map((q: { name: string }) => q.name).sort()).toEqual(['campaigns', 'inbound', 'mail', 'maintenance', 'reminders', 'reporting']);
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

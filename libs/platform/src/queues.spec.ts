import { JobName, jobHandlerProblems, QueueName } from './queues.js';

describe('job handlers', () => {
  const all = [
    { name: 'MailProcessor', queue: QueueName.Mail, jobs: [JobName.SendMail] },
    { name: 'RemindersProcessor', queue: QueueName.Reminders, jobs: [JobName.FireReminder, JobName.DeadlineDue] },
  ];
  const names = [JobName.SendMail, JobName.FireReminder, JobName.DeadlineDue];

  it('is content when every job name has exactly one handler', () => {
    expect(jobHandlerProblems(all, names)).toEqual([]);
  });

  it('names a job without a handler and a job with two', () => {
    expect(
      jobHandlerProblems(
        [...all, { name: 'OtherProcessor', queue: QueueName.Maintenance, jobs: [JobName.SendMail] }],
        [...names, JobName.Reconcile],
      ),
    ).toEqual([
      'job send-mail has 2 handlers: MailProcessor (mail), OtherProcessor (maintenance)',
      'job reconcile has no handler',
    ]);
  });

  it('checks every job name of the enum by default', () => {
    expect(jobHandlerProblems(all)).toContain('job reconcile has no handler');
  });
});

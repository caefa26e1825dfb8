import net from 'node:net';
import { bearer, createTenant, startTestApp, type Tenant, type TestApp } from './support/app.js';
import { createTestDatabase, dropDatabase } from './support/database.js';
import { cookieHeader, pageSession } from './support/page-session.js';

/** A TCP proxy in front of PostgreSQL that the test cuts (the database gone for the app) and opens again. */
class DatabaseLine {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    if (this.server?.listening) return;
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server!.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Cut for good: the test is over (an open listener would keep the jest worker from exiting). */
  close(): Promise<void> {
    return this.server?.listening ? this.cut() : Promise.resolve();
  }
}

describe('the database out of reach: staff and operators are told, in their language, and nothing breaks for after', () => {
  let test: TestApp;
  let database: { name: string; url: string };
  let line: DatabaseLine;
  let gpdp: Tenant;
  let cookie: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    line = new DatabaseLine(new URL(database.url));
    await line.open();
    const through = new URL(database.url);
    through.hostname = '127.0.0.1';
    through.port = String(line.port);
    test = await startTestApp({ database: { name: database.name, url: through.toString() }, roles: 'api' });
    gpdp = await createTenant(test, 'GPDP');
    cookie = cookieHeader(await pageSession(test, 'manager@gpdp.test', 'manager-password-123'));
  });
  afterAll(async () => {
    await line.open();
    await test.close();
    await line.close();
    await dropDatabase(database.name);
  });

  it('answers 503 with what happened and what to do, not a server error; back to normal once it answers', async () => {
    await test.http().get('/api/v1/cases').set(bearer(gpdp.tokens.officer)).expect(200);
    await line.cut();

    const api = await test.http().get('/api/v1/cases').set(bearer(gpdp.tokens.officer)).expect(503);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.body.title).toBe('Service unavailable');
    expect(api.body.detail).toBe(
      'A service Docket depends on is not answering at the moment. Try again in a few minutes; if you were saving something, check first whether it was saved.',
    );
    // A write too; the API speaks its user's language, which cannot be read without the database: English.
    const write = await test
      .http()
      .post('/api/v1/cases')
      .set(bearer(gpdp.tokens.officer))
      .send({ title: 'Processing of personal data', organisationId: '00000000-0000-4000-8000-000000000000' })
      .expect(503);
    expect(write.body.detail).toBe(api.body.detail);

    const signIn = await test.http().get('/login').set('accept-language', 'it').expect(503);
    expect(signIn.headers['content-type']).toMatch(/^text\/html/);
    expect(signIn.text).toContain('Servizio temporaneamente non disponibile');
    expect(signIn.text).toContain('Riprovare tra qualche minuto');
    const page = await test.http().get('/cases').set('cookie', cookie).expect(503);
    expect(page.text).toContain('Temporarily unavailable');
    expect(page.text).not.toContain('Sorry, something went wrong');

    const ready = await test.http().get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({
      title: 'Not ready',
      // The queue (on its PostgreSQL backend) and the mail figures live in the same database.
      detail: 'Not ready: no answer from database, queue, mail.',
      checks: { database: 'down', queue: 'down', mail: 'down' },
    });
    expect(JSON.stringify(ready.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|5432/);

    await line.open();
    await test.http().get('/api/v1/cases').set(bearer(gpdp.tokens.officer)).expect(200);
    await test.http().get('/cases').set('cookie', cookie).expect(200);
    // Readiness too, once the mail figures' two-second cache has let go of the failed check.
    let again = await test.http().get('/health/ready');
    for (let tries = 0; tries < 20 && again.status !== 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      again = await test.http().get('/health/ready');
    }
    expect(again.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, mail: { status: 'up' } } });
  });
});

import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DOCKET_ROLES: ['api', 'worker'], DOCKET_DATA_DIR: 'var' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('parses roles and ports', () => {
    expect(loadConfig({ DOCKET_ROLES: 'worker', PORT: '8080' })).toMatchObject({
      DOCKET_ROLES: ['worker'],
      PORT: 8080,
    });
  });

  it('takes the queue recovery timings, within bounds', () => {
    expect(loadConfig({})).toMatchObject({ QUEUE_LOCK_DURATION_MS: 30000, QUEUE_STALLED_INTERVAL_MS: 30000 });
    expect(loadConfig({ QUEUE_LOCK_DURATION_MS: '5000', QUEUE_STALLED_INTERVAL_MS: '1000' })).toMatchObject({
      QUEUE_LOCK_DURATION_MS: 5000,
      QUEUE_STALLED_INTERVAL_MS: 1000,
    });
    expect(() => loadConfig({ QUEUE_LOCK_DURATION_MS: '100' })).toThrow(/QUEUE_LOCK_DURATION_MS/);
    expect(() => loadConfig({ QUEUE_STALLED_INTERVAL_MS: 'soon' })).toThrow(/QUEUE_STALLED_INTERVAL_MS/);
  });

  it('reads the mail retry window and longest pause as durations', () => {
    expect(loadConfig({})).toMatchObject({ MAIL_RETRY_WINDOW: 48 * 3_600_000, MAIL_RETRY_MAX_INTERVAL: 15 * 60_000 });
    expect(loadConfig({ MAIL_RETRY_WINDOW: '5d', MAIL_RETRY_MAX_INTERVAL: '500ms' })).toMatchObject({
      MAIL_RETRY_WINDOW: 5 * 86_400_000,
      MAIL_RETRY_MAX_INTERVAL: 500,
    });
    expect(() => loadConfig({ MAIL_RETRY_WINDOW: '48' })).toThrow(/MAIL_RETRY_WINDOW/);
    expect(() => loadConfig({ MAIL_RETRY_WINDOW: '90d' })).toThrow(/MAIL_RETRY_WINDOW/);
  });

  it('names every bad key without echoing secrets', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://u:s3cret@h/db',
        DOCKET_ROLES: 'api,cook',
        DOCKET_ADMIN_PASSWORD: 'short',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      for (const key of ['PORT', 'DATABASE_URL', 'DOCKET_ROLES', 'DOCKET_ADMIN_PASSWORD'])
        expect(message).toContain(key);
      expect(message).not.toContain('s3cret');
      expect(message).not.toContain('short');
    }
  });

  it('takes DOCKET_DEMO as true or false only', () => {
    expect(loadConfig({}).DOCKET_DEMO).toBe(false);
    expect(loadConfig({ DOCKET_DEMO: 'true' }).DOCKET_DEMO).toBe(true);
    expect(loadConfig({ DOCKET_DEMO: 'false' }).DOCKET_DEMO).toBe(false);
    expect(() => loadConfig({ DOCKET_DEMO: 'yes' })).toThrow(/DOCKET_DEMO: must be true or false/);
  });

  it('links to the port the server listens on unless PUBLIC_URL says otherwise', () => {
    expect(loadConfig({ PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080');
    expect(loadConfig({}).PUBLIC_URL).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://docket.example' }).PUBLIC_URL).toBe(
      'https://docket.example',
    );
  });

  it('takes a test clock file only in tests', () => {
    expect(() => loadConfig({ DOCKET_TEST_CLOCK_FILE: '/tmp/clock' })).toThrow(
      /DOCKET_TEST_CLOCK_FILE: is only accepted with NODE_ENV=test/,
    );
    expect(loadConfig({ NODE_ENV: 'test', DOCKET_TEST_CLOCK_FILE: '/tmp/clock' }).DOCKET_TEST_CLOCK_FILE).toBe(
      '/tmp/clock',
    );
  });
});

import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadCatalogues } from '#docket/i18n';
import { seedDemoAtStart } from '#docket/demo';
import { ConfigError, configureHttpApp, httpAdapter, loadConfig, prepareRuntime } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { AppModule } from './app.module.js';

/** One line a person can act on, for anything that stops the start (the stack only with LOG_LEVEL=debug). */
function startFailure(error: unknown): string {
  const { code, message, stack } = (error instanceof Error ? error : new Error(String(error))) as Error & {
    code?: string;
    port?: number;
  };
  const hint =
    code === 'EADDRINUSE'
      ? ' (another program listens on that port: set PORT to a free one)'
      : code === 'EACCES'
        ? ' (permission denied: run Docket as a user that owns its folder, or set DATABASE_URL to a PostgreSQL server)'
        : code === 'ECONNREFUSED'
          ? ' (is the database or Redis running? check DATABASE_URL and REDIS_URL)'
          : '';
  const detail = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace' ? `\n${stack}` : '';
  return `Docket failed to start: ${message.split('\n')[0]}${hint}${detail}\n`;
}

let started = false;
// Until the server is up, anything thrown out of band (a child process's spawn error) is a failed start.
process.on('uncaughtException', (error) => {
  if (started) return;
  process.stderr.write(startFailure(error));
  process.exit(1);
});

async function main(): Promise<void> {
  const config = loadConfig();
  // Every catalogue parsed now: a message that is not ICU MessageFormat stops the start, naming file and key.
  loadCatalogues();
  const runtime = await prepareRuntime(config, docketSchema);
  if (config.DOCKET_DEMO)
    await seedDemoAtStart(
      runtime,
      (demoRuntime) => AppModule.forRuntime(demoRuntime),
      (line) => process.stdout.write(`${line}\n`),
    );
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRuntime(runtime), httpAdapter(), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureHttpApp(app, runtime);
  if (config.DOCKET_ROLES.includes('api')) {
    await app.listen(config.PORT, '0.0.0.0');
    const { port } = app.getHttpServer().address() as AddressInfo;
    process.stdout.write(
      `Docket ${runtime.describe()}\nDocket listening on http://localhost:${port} (API docs: /api/docs; links in mail: ${config.PUBLIC_URL})\n`,
    );
  } else {
    await app.init();
    process.stdout.write(`Docket worker ${runtime.describe()}\n`);
  }
  started = true;
  let stopping = false;
  process.on('uncaughtException', (error: Error & { code?: string }) => {
    // Ctrl-C in a terminal also reaches the embedded server (same process group), which then stops
    // at once; connections it cuts are expected then.
    if (stopping && error.code === '57P01') return;
    process.stderr.write(`uncaught exception: ${error.stack ?? String(error)}\n`);
    process.exit(1);
  });
  // The application stops first, then the embedded database; a second signal stops waiting.
  const stop = async () => {
    if (stopping) {
      await runtime.embedded?.stop();
      process.exit(1);
    }
    stopping = true;
    // Whatever still runs at the end of the grace (a mail server that hangs, a query that does not return) does not
    // keep the process: its jobs go back to the queue when their lock expires, its messages are found by
    // reconciliation.
    setTimeout(
      () => {
        process.stderr.write(
          `Docket did not stop within SHUTDOWN_GRACE_MS (${config.SHUTDOWN_GRACE_MS} ms): exiting\n`,
        );
        void Promise.race([runtime.embedded?.stop(), new Promise((resolve) => setTimeout(resolve, 1000))]).finally(() =>
          process.exit(1),
        );
        // A little before the grace ends: exiting takes a moment too.
      },
      Math.max(config.SHUTDOWN_GRACE_MS * 0.9, config.SHUTDOWN_GRACE_MS - 400),
    ).unref();
    runtime.shutdownBy = Date.now() + config.SHUTDOWN_GRACE_MS;
    let code = 0;
    try {
      await app.close();
      runtime.mail.close();
    } catch (error) {
      process.stderr.write(`Docket did not stop cleanly: ${error instanceof Error ? error.stack : String(error)}\n`);
      code = 1;
    }
    await runtime.embedded?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  runtime.embedded?.handOverSignals();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(startFailure(error));
  process.exit(1);
});

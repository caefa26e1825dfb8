// Benchmark (a script, not a test): formal documents in a campaign to 1,000 organisations (issue 18).
//
// Usage: npm run bench:documents [-- --count 1000 --no-campaign]
//
// 1. One core: for each of --count organisations (distinct name, case reference and issue instant; Italian for the
//    Italian ones and English for the others, as a campaign's `locale: auto`), the inquiry letter rendered from its
//    template (letter only: what a letter cost before documents) next to the letter rendered, set as its PDF
//    (PDF/A-2b, fonts subset) and stored content-addressed in a scratch data folder: p50/p95 per letter, letters or
//    PDFs per second, CPU per letter. One process, one thread.
// 2. The campaign (unless --no-campaign): `POST /api/v1/campaigns` to --count organisations through Docket's real path
//    (in this process with both roles, scratch database, SMTP sink on loopback; as bench:campaign), twice:
//    with PDFs (as Docket runs), and letter only (the same path with the documents step taken out in this process:
//    no PDF, no file, no document row, the mail without attachment). Time until every letter is at the sink and
//    every target reads `sent`, letters per second, this process's CPU per letter, and the ratio.
// The load average is printed before and after: the machine may be shared.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { DocumentsService } from '#docket/documents';
import { MailingService } from '#docket/mailing';
import { configureHttpApp, httpAdapter, loadConfig, prepareRuntime } from '#docket/platform';
import { docketSchema } from '#docket/schema';
import { AppModule } from '../apps/server/src/app.module.js';
import {
  loadLayout,
  loadQuestionBank,
  loadTemplateSources,
  renderLetter,
  sampleLetterContext,
} from '../libs/correspondence/src/templating/index.js';
import { DocumentStore } from '../libs/documents/src/document-store.js';
import { renderLetterPdf } from '../libs/documents/src/pdf/letter-pdf.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    'no-campaign': { type: 'boolean', default: false },
  },
});
const COUNT = Number(values.count);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (value: number) => `${value.toFixed(2)} ms`;

console.log(
  `bench:documents — ${COUNT} organisations, template ai-inquiry, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`,
);
console.log(`load average before: ${load()}`);

// ---- 1. one core: render (+ PDF + store) per letter ----
const dir = resolve('templates');
const bank = await loadQuestionBank(dir);
const layout = await loadLayout(dir);
const template = {
  ...(await loadTemplateSources(dir, { questionBank: bank })).find((t) => t.key === 'ai-inquiry')!,
  layout,
};
const letterhead = {
  name: 'Garante per la protezione dei dati personali',
  address: 'Piazza Venezia 11\n00187 Roma',
  referenceLabel: null,
  signatoryName: 'Mario Rossi',
  signatoryTitle: 'Il Segretario generale',
  logo: null,
};
const organisations = Array.from({ length: COUNT }, (_, i) => {
  const locale = i % 2 === 0 ? 'it' : 'en';
  const context = sampleLetterContext(template, locale, bank);
  return {
    locale,
    context: {
      ...context,
      case: { ...context.case, reference: `BGPDP-2026-${String(i + 1).padStart(4, '0')}` },
      organisation: { ...context.organisation, name: `Bench Provider ${i + 1}` },
    },
  };
});
const dataDir = mkdtempSync(join(tmpdir(), 'docket-bench-documents-'));
const store = new DocumentStore(dataDir);
type Org = (typeof organisations)[number];
const letterOf = (org: Org) => renderLetter(template, org.locale, org.context);
const pdfOf = async (org: Org, index: number) => {
  const letter = await letterOf(org);
  return renderLetterPdf({
    locale: org.locale,
    timeZone: org.context.authority.timeZone,
    title: letter.subject,
    reference: org.context.case.reference,
    issuedAt: new Date(Date.UTC(2026, 0, 1) + index * 1000),
    letterhead,
    body: letter.text,
    verifyUrl: 'https://docket.example/verify',
  });
};
try {
  // Warm-up: the fonts are read and parsed once per process, the template compiled once.
  for (let i = 0; i < 10; i++) await pdfOf(organisations[i % organisations.length], -1 - i);
  const letterOnly: number[] = [];
  const withPdf: number[] = [];
  let bytes = 0;
  const cpuLetter = process.cpuUsage();
  const startedLetter = performance.now();
  for (const org of organisations) {
    const t0 = performance.now();
    await letterOf(org);
    letterOnly.push(performance.now() - t0);
  }
  const letterWall = performance.now() - startedLetter;
  const letterCpu = process.cpuUsage(cpuLetter);
  const cpuPdf = process.cpuUsage();
  const startedPdf = performance.now();
  for (const [index, org] of organisations.entries()) {
    const t0 = performance.now();
    const pdf = await pdfOf(org, index);
    await store.put(pdf);
    bytes += pdf.length;
    withPdf.push(performance.now() - t0);
  }
  const pdfWall = performance.now() - startedPdf;
  const pdfCpu = process.cpuUsage(cpuPdf);
  letterOnly.sort((a, b) => a - b);
  withPdf.sort((a, b) => a - b);
  const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000 / COUNT;
  console.log(`\n1. One core, ${COUNT} letters (it and en alternately)`);
  console.log(
    `  letter only          p50 ${ms(quantile(letterOnly, 0.5))}  p95 ${ms(quantile(letterOnly, 0.95))}  ${(COUNT / (letterWall / 1000)).toFixed(0)} letters/s  CPU ${cpuMs(letterCpu).toFixed(2)} ms/letter`,
  );
  console.log(
    `  letter + PDF + store p50 ${ms(quantile(withPdf, 0.5))}  p95 ${ms(quantile(withPdf, 0.95))}  ${(COUNT / (pdfWall / 1000)).toFixed(1)} PDFs/s     CPU ${cpuMs(pdfCpu).toFixed(2)} ms/letter  (${(bytes / COUNT / 1024).toFixed(0)} KB per PDF)`,
  );
  console.log(
    `  ${COUNT} PDFs on one core: ${(pdfWall / 1000).toFixed(1)} s (letter only: ${(letterWall / 1000).toFixed(2)} s)`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

// ---- 2. the campaign through Docket's real path, with PDFs and letter only ----
interface CampaignRun {
  accepted: number;
  atSink: number;
  allSent: number;
  cpuPerLetter: number;
}

async function campaign(variant: 'pdf' | 'letter-only'): Promise<CampaignRun> {
  const arrivals: number[] = [];
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        arrivals.push(Date.now());
        callback();
      });
    },
  });
  await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
  const smtpPort = (sink.server.address() as AddressInfo).port;
  const database = `bench_documents_${process.pid}_${variant.replace('-', '_')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const campaignDir = await mkdtemp(join(tmpdir(), 'docket-bench-documents-campaign-'));
  mkdirSync(join(campaignDir, 'documents'), { recursive: true });
  let app: NestExpressApplication | undefined;
  let closeMail: (() => void) | undefined;
  try {
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString(),
      QUEUE_PREFIX: database,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
      MAIL_FROM: 'Docket bench <docket@bench.example>',
      DOCKET_ROLES: 'api,worker',
      DOCKET_DATA_DIR: campaignDir,
      DOCKET_ADMIN_EMAIL: 'bench-admin@docket.local',
      DOCKET_ADMIN_PASSWORD: 'bench-admin-password-1',
      LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    });
    const runtime = await prepareRuntime(config, docketSchema, { log: () => undefined });
    closeMail = () => runtime.mail.close();
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRuntime(runtime), httpAdapter(), {
      bodyParser: false,
      logger: ['error', 'warn'],
    });
    if (variant === 'letter-only') {
      // The letter path as it was before documents: no PDF rendered, no file stored, no document row or audit entry,
      // the mail carrying the letter without attachment. Only this process's instances are changed.
      const documents = app.get(DocumentsService);
      const mailing = app.get(MailingService);
      documents.issue = (request) =>
        Promise.resolve({
          id: randomUUID(),
          filename: `${request.reference}.pdf`,
          sha256: '0'.repeat(64),
          mediaType: 'application/pdf',
          locale: request.locale,
        } as Awaited<ReturnType<DocumentsService['issue']>>);
      documents.attachmentOf = () => null as unknown as ReturnType<DocumentsService['attachmentOf']>;
      const queue = mailing.queueMessage.bind(mailing);
      mailing.queueMessage = (message) =>
        queue({ ...message, attachments: (message.attachments ?? []).filter(Boolean) });
    }
    configureHttpApp(app, runtime);
    await app.listen(0, '127.0.0.1');
    const api = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const call = async (method: string, path: string, token: string | null, body?: unknown) => {
      const response = await fetch(`${api}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };
    const sysadmin = (
      await call('POST', '/api/v1/auth/token', null, {
        email: 'bench-admin@docket.local',
        password: 'bench-admin-password-1',
      })
    ).token as string;
    await call('POST', '/api/v1/authorities', sysadmin, {
      code: 'BGPDP',
      name: 'Bench authority',
      country: 'IT',
      timezone: 'Europe/Rome',
      locale: 'it-IT',
      holidayRegion: 'IT',
    });
    const officer = { email: 'officer@bench.example', password: 'officer-password-123' };
    const user = await call('POST', '/api/v1/users', sysadmin, {
      ...officer,
      name: 'Bench officer',
      role: 'officer',
      authority: 'BGPDP',
    });
    const token = (await call('POST', '/api/v1/auth/token', null, officer)).token as string;
    // The organisations through the API (each with its contact in this authority's address book), 8 at a time.
    const rows: { id: string }[] = [];
    for (let first = 1; first <= COUNT; first += 8) {
      const batch = Array.from({ length: Math.min(8, COUNT - first + 1) }, (_, k) => first + k);
      rows.push(
        ...((await Promise.all(
          batch.map((n) =>
            call('POST', '/api/v1/organisations', token, {
              name: `Bench Provider ${n}`,
              country: n % 2 === 0 ? 'IT' : 'US',
              contacts: [{ name: 'DPO', email: `dpo@provider-${n}.example`, role: 'dpo' }],
            }),
          ),
        )) as unknown as { id: string }[]),
      );
    }
    const cpu = process.cpuUsage();
    const started = Date.now();
    const created = await call('POST', '/api/v1/campaigns', token, {
      title: 'Bench campaign',
      template: 'ai-inquiry',
      locale: 'auto',
      deadline: { count: 20, unit: 'calendar_days' },
      organisationIds: rows.map((row) => row.id),
      caseDefaults: { type: 'ex_officio', assigneeId: user.id },
    });
    const accepted = Date.now() - started;
    let allSent = 0;
    let counts: Record<string, number> = {};
    while (!allSent) {
      if (Date.now() > started + 60 * 60_000) throw new Error(`not done after an hour: ${JSON.stringify(counts)}`);
      await new Promise((done) => setTimeout(done, 250));
      counts = (await call('GET', `/api/v1/campaigns/${String(created.id)}`, token)).counts as Record<string, number>;
      if (counts.failed > 0) throw new Error(`targets failed: ${JSON.stringify(counts)}`);
      if (counts.sent === COUNT) allSent = Date.now() - started;
    }
    const used = process.cpuUsage(cpu);
    if (arrivals.length !== COUNT) throw new Error(`the sink received ${arrivals.length} messages, not ${COUNT}`);
    return {
      accepted,
      atSink: Math.max(...arrivals) - started,
      allSent,
      cpuPerLetter: (used.user + used.system) / 1000 / COUNT,
    };
  } finally {
    await app?.close();
    closeMail?.();
    await new Promise<void>((done) => sink.close(() => done()));
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    await rm(campaignDir, { recursive: true, force: true });
  }
}

if (!values['no-campaign']) {
  console.log(`\n2. Campaign to ${COUNT} organisations through Docket's path (api and worker in this process)`);
  const runs: Record<string, CampaignRun> = {};
  for (const variant of ['letter-only', 'pdf'] as const) {
    console.log(`  (${variant}: running, load average ${load()})`);
    runs[variant] = await campaign(variant);
  }
  const line = (label: string, run: CampaignRun) =>
    console.log(
      `  ${label.padEnd(18)} 202 in ${run.accepted} ms, all at the sink after ${(run.atSink / 1000).toFixed(1)} s (${(COUNT / (run.atSink / 1000)).toFixed(1)} letters/s), all 'sent' after ${(run.allSent / 1000).toFixed(1)} s; this process's CPU ${run.cpuPerLetter.toFixed(1)} ms/letter`,
    );
  line('letter only', runs['letter-only']);
  line('with PDFs', runs.pdf);
  const ratio = runs.pdf.allSent / runs['letter-only'].allSent;
  console.log(
    `  ratio with PDFs / letter only: ${ratio.toFixed(2)}× (time until every target is 'sent'; target ≤ 1.5×), CPU ${(runs.pdf.cpuPerLetter / runs['letter-only'].cpuPerLetter).toFixed(2)}×`,
  );
}
console.log(`\nload average after: ${load()}`);

import {
  entitiesOf,
  foreignEntityImports,
  foreignTablesInSql,
  foreignTableWrites,
  globalModules,
  hookRegistries,
  httpExceptionsPastTheEdge,
  importsFromApps,
  longLines,
  optionalManagers,
  transactionsPastUnitOfWork,
  overdueCopies,
  readSources,
  tenantEntitiesOf,
  unscopedTenantAccess,
  unscopedInTenantRepositories,
  type Finding,
} from './support/architecture.js';

/**
 * The shape of the code as rules over its sources (read as text; nothing runs). Each bounded context under libs/ owns
 * its entities and tables: no other lib imports its entities or names its tables in SQL, except the declared read
 * models below, and `schema`, which lists every entity for TypeORM. ENTITY_DEBT lists today's exceptions, each with
 * its reason: debt, which may only shrink (an entry that no longer occurs fails the test too, so that it is struck
 * off).
 */

/** Libs allowed to import any context's entity: the schema lists them all, reporting reads through a few. */
const ENTITY_READERS = new Set(['reporting', 'schema']);

/**
 * The read models: code that reads other contexts' tables in SQL of its own, because what it shows is one set-based
 * question over several contexts that their services could only answer row by row (or, across authorities, by
 * opening a cross-authority read in each owner). Each is declared with its owner (the lib that keeps it), where it
 * lives (a whole lib, or single files `lib/file.ts`), every foreign table it reads, and why. A read model reads only
 * the tables listed (another one fails), writes none of them, and a table it no longer reads must be struck off. Any
 * other lib reaches another context through that context's exported service.
 */
const READ_MODELS: { name: string; owner: string; in: string[]; reads: string[]; why: string }[] = [
  {
    name: 'dashboards, worklists, exports and coordination',
    owner: 'reporting',
    in: ['reporting'],
    reads: ['authorities', 'cases', 'deadlines', 'organisations', 'outcomes', 'responses', 'users'],
    why:
      "an authority's deadlines, cases and outcomes counted, filtered and paged in PostgreSQL over every context " +
      '(and the same organisation across authorities, for coordination)',
  },
  {
    name: 'answers compared across authorities',
    owner: 'cooperation',
    in: ['cooperation/answers-compared.service.ts'],
    reads: ['authorities', 'cases', 'inquiries', 'responses', 'response_answers'],
    why:
      "a provider's answers to several authorities, topic by topic, as the authorities opted in per case: one " +
      "statement whose WHERE clause is the whole rule of what crosses authorities, where the owners' services would " +
      'each need a cross-authority read of their own (cases, decisions, correspondence)',
  },
  {
    name: 'search results grouped by case',
    owner: 'search',
    in: ['search/search.service.ts'],
    reads: ['authorities', 'cases'],
    why:
      'search_documents is itself a read model kept by triggers over every context (migration 1764000018400); a ' +
      "page groups its matches by case (an organisation's hits under the caller's cases of it, another authority's " +
      'case only while shared) inside the one ranked, keyset-paged statement, and names the sharing authority',
  },
];

/** The read models covering a file (`libs/<lib>/src/<file>`). */
function readModelsOf(path: string) {
  const file = path.replace(/^libs\//, '').replace('/src/', '/');
  const lib = file.split('/')[0]!;
  return READ_MODELS.filter((model) => model.in.includes(lib) || model.in.includes(file));
}

/**
 * `lib → owner: Entity`: imports of another context's entity, with the reason each is still here. None is left: an
 * entity keeps another context's row by its id (the foreign key is the migrations', libs/schema/src/foreign-keys.ts).
 */
const ENTITY_DEBT: Record<string, string> = {};

/**
 * Deliberate reads and writes across authorities, named here and nowhere else: `lib/file.ts#member` (or `#*` for a
 * whole file) → why it may touch tenant data without the caller's scope. Everything else goes through a scoped
 * repository (a class extending `TenantRepository`), or is in UNSCOPED_DEBT below.
 */
const CROSS_AUTHORITY: Record<string, string> = {
  // Signing in: the account is found before any authority is known.
  'identity/auth.service.ts#checkPassword': 'password sign-in finds the account by its e-mail address',
  'identity/auth.service.ts#authenticate':
    'every request: its access token names the account, before any authority is known',
  'identity/sso-only.ts#ssoOnlyProvider': "sign-in: whether the account's authority still accepts passwords",
  'identity/oidc.service.ts#providerForEmail': "sign-in page: the authority whose provider an address's domain names",
  'identity/oidc.service.ts#offeredByDomain': 'sign-in page: whether any provider is offered by e-mail domain',
  'identity/oidc.service.ts#providerOf': 'sign-in page: the provider of the authority a link names',
  'identity/oidc.service.ts#finish':
    "single sign-on callback: addresses are unique across authorities, so another authority's is refused",
  'identity/oidc.service.ts#provision': 'single sign-on: a new account is checked against every authority’s addresses',
  'identity/second-factor.service.ts#check':
    'sign-in: the code of the account signing in (replays refused by one statement)',
  'identity/second-factor.service.ts#withSecrets':
    "sign-in, or the caller's own account (the sysadmin's has no authority)",
  'identity/user-lifecycle.service.ts#completeReset':
    'a password-reset link names its user: the link is the credential',
  // The caller's own account, whichever authority it belongs to (the sysadmin's belongs to none).
  'identity/second-factor.service.ts#enrol': "the caller's own account starts its second factor",
  'identity/second-factor.service.ts#confirm': "the caller's own account confirms its second factor",
  'identity/second-factor.service.ts#status': "the caller's own account: whether it has a second factor",
  'identity/user-lifecycle.service.ts#changeOwnLanguage': "the caller's own account's language",
  'identity/user-lifecycle.service.ts#changeOwnPassword': "the caller's own account's password",
  // Sysadmin tools.
  'identity/identity.service.ts#bootstrapSysadmin': 'first start: is there any user at all',
  'identity/identity.service.ts#createAuthority': 'sysadmin: a new authority and its first administrator',
  'identity/identity.service.ts#createUser': 'e-mail addresses are unique across the deployment',
  'identity/identity.service.ts#everyUser': 'sysadmin: the users of every authority',
  'identity/identity.service.ts#everyUserQuery': 'sysadmin: the users of every authority, page by page',
  'identity/user-lifecycle.service.ts#authorityOfUser':
    'sysadmin: the authority of the user administered, then acted for (RequestContext.actingFor)',
  // The audit trail: every entry names its authority; coordination writes into every participant's chain.
  'audit/audit.service.ts#*': 'the chain of the authority each entry names (verify and checkpoints run per authority)',
  // Coordination between authorities.
  'cooperation/procedures.service.ts#*': 'a procedure is shared by its participants (checked by requireParticipant)',
  'cooperation/answers-compared.service.ts#*': 'answers compared across the authorities that opted in per case',
  'cooperation/joint-deadlines.service.ts#*': "a joint deadline is kept on every participant's calendar",
  'registry/organisation.repository.ts#followers':
    "a change of a shared organisation's identity is recorded in the trail of every authority keeping a book of it",
  'registry/organisation.repository.ts#insertVersion':
    "the shared identity's history: a version names the authority whose user wrote it (none for a sysadmin)",
  'registry/organisation.repository.ts#versions':
    "the shared identity's history, read by every authority with the organisation",
  'reporting/coordination.service.ts#*': 'coordination: the same organisation across authorities',
  'reporting/counters.service.ts#compactAll': 'worker: the authorities whose counters are worth folding',
  'documents/documents.service.ts#verify':
    'anyone holding a document asks whether Docket issued it, before anything says whose it is',
  'search/search.service.ts#PAGE_SQL': "results from cases another authority shares with the caller's",
  // Workers acting for an authority: sweeps over every authority's rows, each job then acts for its own.
  'mailing/mail-delivery.ts#*': "the mail worker records the delivery of a message, whichever authority's",
  'mailing/send-mail.processor.ts#*': 'the mail worker reads the messages of its jobs',
  'mailing/mailing.service.ts#queueMessage':
    'the outbox stores each message for the authority it names (workers, sign-in mail); dedupe keys are deployment-wide',
  'mailing/mailing.service.ts#storeMessages':
    'the outbox stores each message for the authority it names (workers, resends); dedupe keys are deployment-wide',
  'mailing/mailing.service.ts#requeueIfQueued': 'worker: a reminder job re-queues its own message',
  'mailing/mailing.service.ts#retry':
    "operators (sysadmin): the deployment's failed and waiting mail, and a failed job",
  'mailing/mailing.service.ts#status':
    "/health/ready and the operators' page: the deployment's waiting and failed mail",
  'mailing/mailing.service.ts#releaseWaiting': 'worker: messages waiting for the mail server, all authorities',
  'mailing/mailing.service.ts#requeueStale': 'worker: messages whose job was lost, all authorities',
  'deadlines/deadline-notices.ts#applyHolidayDataUpdate':
    'maintenance: the authorities with running deadlines computed with other holiday data, each then recomputed acting for it',
  'deadlines/deadlines.service.ts#markOverdue':
    'worker: the pending deadlines past due of every authority, each then marked missed acting for its own',
  'deadlines/deadlines.service.ts#markMissed':
    "worker: a deadline's due job names only the deadline (its history and reminders then act for its authority)",
  'deadlines/reconciler.ts#*': 'worker: the periodic reconciliation of every authority’s deadlines',
  'deadlines/reminders.processor.ts#*': 'worker: a reminder job reads its reminder and deadline',
  'campaigns/campaigns.service.ts#requeueLost':
    'worker: the pending targets whose fan-out job was lost, all authorities',
  'inbound/inbound-message.repository.ts#fileToAuthority':
    'sysadmin: a message of the triage (no authority yet) filed to the authority chosen',
  // Writes batched across requests or jobs, each row naming the authority of the request or job it came from.
  'cases/case.repository.ts#insertNumbered': 'case creation: each case of a batch carries the authority of its request',
  'registry/address-book.repository.ts#follow':
    'case creation: each authority of a batch follows the organisation of its case',
  'campaigns/campaign.repository.ts#withCampaigns':
    "fan-out worker: the targets of a batch of jobs, each job acting for its campaign's authority",
  'campaigns/campaign.repository.ts#keepCases':
    "fan-out worker: each target's case kept in the authority its job names (a batch may act for several)",
  'inbound/inbound.service.ts#ingest': 'a reply arrives before anything says whose it is',
  'cases/case-lookup.ts#*': 'a reply by e-mail is matched to the case its subject names, in any authority',
  'correspondence/reply-match.ts#*':
    'a reply by e-mail is matched to its inquiry (its reply address, Message-IDs or case) before its authority is known',
};

/**
 * Files still reading or writing tenant data without the scope (hand-written `authorityId` filters), to be moved
 * behind scoped repositories lib by lib. The list may only shrink: a file no longer found fails until struck off.
 */
const UNSCOPED_DEBT: string[] = [];

/**
 * Files of the HTTP edge that their names do not tell (see isHttpEdge: controllers, guards, filters, pipes,
 * interceptors, pages), `lib/file.ts` → why they make HTTP exceptions. Every other lib file refuses with domain errors
 * (libs/platform/src/domain-errors.ts), answered by the ProblemFilter; an entry no longer found fails until struck off.
 */
const HTTP_EDGE_FILES: Record<string, string> = {
  'platform/problem.ts':
    'the problem+json edge itself: the ProblemFilter, ProblemException and CatalogueProblem for the edge, and ' +
    'DomainProblem, the HTTP exception a domain error is answered with',
  'platform/http-helpers.ts':
    "ifMatchVersion reads a controller's If-Match header: a missing one is 428 Precondition Required, one that names " +
    'no version a 400; words of HTTP, with no meaning in the domain',
};

const files = readSources(process.cwd(), ['libs', 'apps', 'migrations', 'scripts', 'test']);
const entities = entitiesOf(files);

/** The unscoped accesses neither named as cross-authority nor in the debt, and the list entries no longer needed. */
function againstTenancy(findings: Finding[]) {
  const member = (what: string) => what.split(': ')[0]!;
  const file = (what: string) => member(what).split('#')[0]!;
  const deliberate = (what: string) => member(what) in CROSS_AUTHORITY || `${file(what)}#*` in CROSS_AUTHORITY;
  const rest = findings.filter((finding) => !deliberate(finding.what));
  const named = new Set(findings.flatMap((finding) => [member(finding.what), `${file(finding.what)}#*`]));
  const indebted = new Set(rest.map((finding) => file(finding.what)));
  return {
    unlisted: rest
      .filter((finding) => !UNSCOPED_DEBT.includes(file(finding.what)))
      .map((finding) => `${finding.at}: ${finding.what}`),
    crossAuthorityNoLongerFound: Object.keys(CROSS_AUTHORITY).filter((key) => !named.has(key)),
    debtPaidOff: UNSCOPED_DEBT.filter((path) => !indebted.has(path)),
  };
}

/** The findings not in `debt`, and the debt no longer found. */
function againstDebt(findings: Finding[], debt: Record<string, string>) {
  const found = new Set(findings.map((finding) => finding.what));
  return {
    unlisted: findings.filter((finding) => !(finding.what in debt)).map((finding) => `${finding.at}: ${finding.what}`),
    paidOff: Object.keys(debt).filter((what) => !found.has(what)),
  };
}

describe('architecture (read from the sources)', () => {
  it('finds the entities of every context (the rules below read nothing if this breaks)', () => {
    const owners = new Set(entities.map((entity) => entity.lib));
    for (const lib of ['audit', 'cases', 'deadlines', 'decisions', 'identity', 'registry'])
      expect(owners).toContain(lib);
    expect(entities.find((entity) => entity.name === 'Deadline')).toMatchObject({
      lib: 'deadlines',
      table: 'deadlines',
    });
  });

  it("no lib imports another context's entity, but for the schema, reporting and the listed debt", () => {
    const findings = foreignEntityImports(files, entities).filter(
      (finding) => !ENTITY_READERS.has(finding.what.split(' ')[0]),
    );
    expect(againstDebt(findings, ENTITY_DEBT)).toEqual({ unlisted: [], paidOff: [] });
  });

  it("no lib names another context's table in SQL but a declared read model, and only the tables it declares", () => {
    const findings = foreignTablesInSql(files, entities);
    const table = (what: string) => /→ table (\w+) /.exec(what)![1]!;
    const path = (at: string) => at.split(':')[0]!;
    expect({
      undeclared: findings
        .filter((finding) => !readModelsOf(path(finding.at)).some((model) => model.reads.includes(table(finding.what))))
        .map((finding) => `${finding.at}: ${finding.what}`),
      noLongerRead: READ_MODELS.flatMap((model) =>
        model.reads
          .filter(
            (read) =>
              !findings.some(
                (finding) => table(finding.what) === read && readModelsOf(path(finding.at)).includes(model),
              ),
          )
          .map((read) => `${model.name}: ${read}`),
      ),
    }).toEqual({ undeclared: [], noLongerRead: [] });
  });

  it("writes no other context's table in SQL, read models included", () => {
    expect(foreignTableWrites(files, entities)).toEqual([]);
  });

  it('sees a write to a foreign table, and not a read or a lock', () => {
    const probe = [
      {
        path: 'libs/x/src/a.ts',
        lib: 'x',
        text: [
          "await manager.query(`UPDATE deadlines SET status = 'met' WHERE id = $1`, [id]);",
          'await manager.query(`INSERT INTO audit_events (id) VALUES ($1)`, [id]);',
          'await manager.query(`DELETE FROM cases WHERE id = $1`, [id]);',
          'await manager.query(`SELECT id FROM responses FOR UPDATE`);',
          'await manager.query(`INSERT INTO x_rows (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = $1`, [id]);',
        ].join('\n'),
      },
    ];
    expect(foreignTableWrites(probe, entities).map((finding) => finding.what)).toEqual([
      'x → writes deadlines (deadlines)',
      'x → writes audit_events (audit)',
      'x → writes cases (cases)',
    ]);
  });

  it('reads and writes tenant data through scoped repositories, but for the named cross-authority uses and the debt', () => {
    const tenant = tenantEntitiesOf(files, entities);
    expect(tenant.map((entity) => entity.name)).toEqual(expect.arrayContaining(['Case', 'Deadline', 'User']));
    expect(againstTenancy([...unscopedTenantAccess(files, tenant), ...unscopedInTenantRepositories(files)])).toEqual({
      unlisted: [],
      crossAuthorityNoLongerFound: [],
      debtPaidOff: [],
    });
  });

  it('sees a tenant entity or table reached without the scope, and not through a TenantRepository', () => {
    const tenant = tenantEntitiesOf(files, entities);
    const probe = [
      {
        path: 'libs/x/src/a.service.ts',
        lib: 'x',
        text: [
          'export class A {',
          '  async one(id: string) {',
          '    return this.dataSource.getRepository(Deadline).findOne({ where: { id } });',
          '  }',
          '  private async two(manager: EntityManager) {',
          '    await manager.query(`UPDATE deadlines SET status = $1`, []);',
          "    await manager.findOne(Case, { where: { id: '1' } }); // SELECT FROM users is prose",
          '  }',
          '}',
        ].join('\n'),
      },
      {
        path: 'libs/x/src/deadline.repository.ts',
        lib: 'x',
        text: 'export class R extends TenantRepository<Deadline> {\n  all() { return this.repo().find(); }\n}',
      },
    ];
    expect(unscopedTenantAccess(probe, tenant).map((finding) => finding.what)).toEqual([
      'x/a.service.ts#one: Deadline',
      'x/a.service.ts#two: Case',
      'x/a.service.ts#two: table deadlines',
    ]);
  });

  it('sees a TenantRepository method reaching its table past the scope without naming the authority', () => {
    const probe = [
      {
        path: 'libs/x/src/deadline.repository.ts',
        lib: 'x',
        text: [
          'export class R extends TenantRepository<Deadline> {',
          '  mine(id: string) {',
          '    return this.repo().findOne({ where: this.scoped({ id }) });',
          '  }',
          '  everyones(ids: string[]) {',
          '    return this.dataSource.getRepository(Deadline).find({ where: { id: In(ids) } }); // this.scoped( in prose',
          '  }',
          '  async raw(id: string) {',
          '    await this.repo().manager.query(`DELETE FROM deadlines WHERE id = $1 AND authority_id = $2`, [',
          '      id,',
          '      RequestContext.authorityId(),',
          '    ]);',
          '  }',
          '  viaBuilder() {',
          "    return this.query('d').getMany();",
          '  }',
          '}',
        ].join('\n'),
      },
    ];
    expect(unscopedInTenantRepositories(probe).map((finding) => finding.what)).toEqual([
      'x/deadline.repository.ts#everyones: past the scope',
    ]);
  });

  it('makes HTTP exceptions only at the HTTP edge: services refuse with domain errors', () => {
    const findings = httpExceptionsPastTheEdge(files);
    const file = (what: string) => what.split(': ')[0]!;
    expect({
      unlisted: findings
        .filter((finding) => !(file(finding.what) in HTTP_EDGE_FILES))
        .map((finding) => `${finding.at}: ${finding.what}`),
      noLongerFound: Object.keys(HTTP_EDGE_FILES).filter(
        (path) => !findings.some((finding) => file(finding.what) === path),
      ),
    }).toEqual({ unlisted: [], noLongerFound: [] });
  });

  it('knows an HTTP exception past the edge when it sees one, declared here or elsewhere', () => {
    const probe = [
      {
        path: 'libs/x/src/a.service.ts',
        lib: 'x',
        text: [
          'export class Locked extends HttpException {}',
          'export class Later extends Locked {}',
          'export class Closed extends Conflict {}',
          '  if (!row) throw new NotFoundException(`no ${id}`);',
          '  if (row.locked) throw new Locked();',
          '  // throw new ConflictException("only prose")',
          "  throw new ProblemException(409, 'Conflict', 'x');",
          "  throw new Closed('x'); throw new NotFound('x'); throw new Error('x');",
        ].join('\n'),
      },
      { path: 'libs/x/src/b.ts', lib: 'x', text: 'if (!ok) throw new Refused();' },
      { path: 'libs/x/src/c.guard.ts', lib: 'x', text: 'class Refused extends ForbiddenException {}' },
      { path: 'libs/x/src/pages/d.ts', lib: 'x', text: 'throw new NotFoundException();' },
      { path: 'libs/x/src/e.pages.ts', lib: 'x', text: 'throw new Refused();' },
      { path: 'libs/x/src/f.service.spec.ts', lib: 'x', text: 'throw new NotFoundException();' },
    ];
    expect(httpExceptionsPastTheEdge(probe).map((finding) => finding.what)).toEqual([
      'x/a.service.ts: Locked',
      'x/a.service.ts: Later',
      'x/a.service.ts: NotFoundException',
      'x/a.service.ts: ProblemException',
      'x/b.ts: Refused',
    ]);
  });

  it('no lib imports from apps/', () => {
    expect(importsFromApps(files)).toEqual([]);
  });

  it('no @Global() module beyond platform: a module imports the modules whose providers it uses', () => {
    expect(globalModules(files)).toEqual(['platform']);
  });

  it('opens transactions only through the unit of work, so that every service called inside one joins it', () => {
    expect(transactionsPastUnitOfWork(files)).toEqual([]);
  });

  it('has no optional EntityManager parameter: a service reads the transaction it runs in from the context', () => {
    expect(optionalManagers(files)).toEqual([]);
  });

  it('knows a transaction opened past the unit of work and an optional manager when it sees them', () => {
    const probe = [
      {
        path: 'libs/x/src/x.service.ts',
        lib: 'x',
        text: [
          'export class XService {',
          '  // this.dataSource.transaction(…) is what this class used to call',
          '  async a(manager?: EntityManager) {',
          '    await this.dataSource.transaction(async (inner) => inner.save(thing));',
          '  }',
          '  async b(id: string, manager: EntityManager = this.dataSource.manager) {',
          '    return this.unitOfWork.run(async (inner) => inner.findOne(X, { where: { id } }));',
          '  }',
          '}',
        ].join('\n'),
      },
    ];
    expect(transactionsPastUnitOfWork(probe)).toEqual([{ at: 'libs/x/src/x.service.ts:4', what: 'dataSource' }]);
    expect(optionalManagers(probe).map((finding) => finding.at)).toEqual([
      'libs/x/src/x.service.ts:3',
      'libs/x/src/x.service.ts:6',
    ]);
  });

  it('keeps no hook registry: events go through the event bus, queries through extension points', () => {
    expect(hookRegistries(files)).toEqual([]);
  });

  it('knows a hook registry when it sees one (keyed by a string or not), and not a map of values', () => {
    const probe = [
      {
        path: 'libs/x/src/mailing.service.ts',
        lib: 'x',
        text: [
          'export type MessageOutcomeHandler = (manager: EntityManager, message: OutboundMessage) => Promise<void>;',
          'export class MailingService {',
          '  private readonly sentHandlers = new Map<string, MessageOutcomeHandler>();',
          '  private readonly closedHandlers: CaseClosedHandler[] = [];',
          '  private readonly listeners: ((change: ClosureChange) => Promise<void>)[] = [];',
          '  private readonly names = new Map<string, string>();',
          '  private readonly seen: string[] = [];',
          '  // private readonly hooks = new Map<string, MessageOutcomeHandler>();',
          '}',
          'type CaseClosedHandler = (manager: EntityManager, caseId: string) => Promise<void>;',
        ].join('\n'),
      },
    ];
    expect(hookRegistries(probe).map((finding) => finding.what)).toEqual([
      'x/mailing.service.ts#sentHandlers: MessageOutcomeHandler',
      'x/mailing.service.ts#closedHandlers: CaseClosedHandler',
      'x/mailing.service.ts#listeners: (change: ClosureChange) => Promise<void>',
    ]);
  });

  it('sees a foreign entity import and a foreign table in SQL when there is one (and not in a comment)', () => {
    const probe = [
      {
        path: 'libs/x/src/a.ts',
        lib: 'x',
        text: [
          "import { type Deadline, DeadlinesService } from '#docket/deadlines';",
          'const rows = await manager.query(`SELECT id FROM deadlines d JOIN cases c ON c.id = d.case_id`);',
          '// UPDATE inquiries is only prose here',
        ].join('\n'),
      },
    ];
    expect(foreignEntityImports(probe, entities)).toEqual([
      { at: 'libs/x/src/a.ts:1', what: 'x → deadlines: Deadline' },
    ]);
    expect(foreignTablesInSql(probe, entities).map((finding) => finding.what)).toEqual([
      'x → table deadlines (deadlines)',
      'x → table cases (cases)',
    ]);
  });

  it('decides "overdue" in one place: the deadline life cycle (libs/deadlines/src/deadline-lifecycle.ts)', () => {
    expect(overdueCopies(files)).toEqual([]);
  });

  it('knows a copy of the overdue rule when it sees one', () => {
    const probe = [
      {
        path: 'libs/x/src/a.ts',
        lib: 'x',
        text: "const late = d.status === 'missed' || (d.status === 'pending' && d.dueAt.getTime() <= now);",
      },
      {
        path: 'libs/x/src/b.ts',
        lib: 'x',
        text: "`WHERE d.status = 'missed' OR (d.status = 'pending' AND d.due_at < $3)`",
      },
      { path: 'libs/x/src/c.ts', lib: 'x', text: "// status === 'missed' || status === 'pending' && dueAt <= now" },
    ];
    expect(overdueCopies(probe).map((finding) => finding.at)).toEqual(['libs/x/src/a.ts', 'libs/x/src/b.ts']);
  });

  // ARCH_REPORT=1 prints the figures of issue 17 (lines over 160 characters, @Global modules, hook registries,
  // optional managers, copies of the overdue rule).
  if (process.env.ARCH_REPORT)
    it('reports the figures', () => {
      const code = readSources(process.cwd(), ['libs', 'apps', 'migrations', 'scripts', 'test'], (path) =>
        /\.(ts|js|mjs|liquid|css)$/.test(path),
      );
      console.log(
        JSON.stringify(
          {
            linesOver160: longLines(code).length,
            globalModules: globalModules(files),
            hookRegistries: hookRegistries(files).length,
            optionalManagers: optionalManagers(files).length,
            overdueCopies: overdueCopies(files).map((finding) => finding.at),
          },
          null,
          2,
        ),
      );
    });
});

import { DateTime, Duration } from 'luxon';
import type { CasesService } from '#docket/cases';
import type { InquiriesService, TemplateRegistry } from '#docket/correspondence';
import { OUTCOME_REMINDERS, type OutcomesService, type ResponsesService } from '#docket/decisions';
import {
  fireAt,
  ruleOf,
  type CalendarService,
  type DeadlineRecord,
  type DeadlinesService,
  type ReminderPlanItem,
  type ReminderScheduler,
} from '#docket/deadlines';
import type { AuthorityView, IdentityService, UserView } from '#docket/identity';
import { RequestContext, type Actor } from '#docket/platform';
import type { OrganisationsService } from '#docket/registry';
import type { DemoClock } from './demo-clock.js';
import {
  DEMO_AUTHORITIES,
  DEMO_CASES,
  DEMO_ORGANISATIONS,
  DEMO_ROLES,
  demoEmail,
  demoPassword,
  SETUP_AT,
  userRole,
  type DeadlineRef,
  type DemoActor,
  type DemoAuthority,
  type DemoCase,
  type DemoEvent,
  type DemoRole,
  type When,
} from './demo-data.js';

/** The services the demo drives: the same ones the API and the workers use. */
export interface DemoServices {
  identity: IdentityService;
  organisations: OrganisationsService;
  cases: CasesService;
  inquiries: InquiriesService;
  templates: TemplateRegistry;
  deadlines: DeadlinesService;
  calendar: CalendarService;
  scheduler: ReminderScheduler;
  responses: ResponsesService;
  outcomes: OutcomesService;
  /** Runs the mail worker's send step for one queued message now, so a letter leaves at the instant of its story. */
  deliver(messageId: string): Promise<void>;
}

/** The database holds data that is not the demo's: the demo is never mixed with real work. */
export class DemoRefused extends Error {}

export interface DemoCredential {
  authority: string;
  role: DemoRole;
  email: string;
  password: string;
}

export interface DemoReport {
  created: { authorities: string[]; users: DemoCredential[]; organisations: string[]; cases: string[]; steps: number };
  skipped: { authorities: string[]; users: number; organisations: string[]; cases: string[]; steps: number };
}

type Outcome = 'ran' | 'skipped';

interface Step {
  at: When;
  /** Whose office hours a relative time is in. */
  authority: string;
  what: string;
  caseTag?: string;
  run(): Promise<Outcome>;
}

const MINUTE = 60_000;
const DEMO_CODES = new Set(DEMO_AUTHORITIES.map((authority) => authority.code));
/** A reminder planned closer to now than this is left out: it would fire before the demo has finished loading. */
const PLAN_MARGIN_MS = MINUTE;

/**
 * The ISO 8601 offset (hours, minutes, seconds: no days, which shift with summer time) that fires `target` for `dueAt`.
 */
export function offsetFor(dueAt: Date, target: Date): string {
  const ms = Math.round((target.getTime() - dueAt.getTime()) / 1000) * 1000;
  const duration = Duration.fromMillis(Math.abs(ms)).shiftTo('hours', 'minutes', 'seconds').toISO();
  return ms < 0 ? `-${duration}` : (duration ?? 'PT0S');
}

/**
 * Loads the demo through the services, acting as the demo users, with the clock set to each step's
 * instant. Every step first checks whether it is already done (authority code, user e-mail, organisation
 * name, the case's `demo:` tag, then what the case already holds), so a second run changes nothing and a
 * run that was interrupted completes where it stopped.
 */
export class DemoLoader {
  private startedAt = new Date();
  private sysadmin: Actor = { userId: null, authorityId: null, role: 'sysadmin', label: 'demo loader' };
  private readonly authorities = new Map<string, AuthorityView>();
  private readonly users = new Map<string, Pick<UserView, 'id' | 'email' | 'name' | 'role'>>();
  private readonly organisationIds = new Map<string, string>();
  private readonly caseIds = new Map<string, string>();
  private readonly report: DemoReport = {
    created: { authorities: [], users: [], organisations: [], cases: [], steps: 0 },
    skipped: { authorities: [], users: 0, organisations: [], cases: [], steps: 0 },
  };

  constructor(
    private readonly services: DemoServices,
    private readonly clock: DemoClock,
    private readonly log: (line: string) => void,
  ) {}

  async load(): Promise<DemoReport> {
    this.startedAt = new Date();
    await this.checkDatabase();
    await this.setUpAuthorities();
    await this.setUpUsers();
    await this.findExisting();
    const steps = this.plan();
    const ranByCase = new Map<string, { ran: number; skipped: number }>();
    for (const step of steps) {
      let outcome: Outcome;
      try {
        outcome = await step.run();
      } catch (error) {
        throw new Error(`demo step "${step.what}" failed: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        });
      } finally {
        this.clock.live();
      }
      this.report[outcome === 'ran' ? 'created' : 'skipped'].steps++;
      if (step.caseTag) {
        const counts = ranByCase.get(step.caseTag) ?? { ran: 0, skipped: 0 };
        counts[outcome === 'ran' ? 'ran' : 'skipped']++;
        ranByCase.set(step.caseTag, counts);
      }
    }
    for (const [tag, counts] of ranByCase) {
      if (counts.ran === 0) this.report.skipped.cases.push(tag);
    }
    this.print();
    return this.report;
  }

  // ---- set-up: authorities, users ----

  private async checkDatabase(): Promise<void> {
    await RequestContext.run(async () => {
      const [sysadmin] = await this.services.identity.listUsers(['sysadmin']);
      if (sysadmin)
        this.sysadmin = {
          userId: sysadmin.id,
          authorityId: null,
          role: 'sysadmin',
          label: `${sysadmin.name} <${sysadmin.email}>`,
        };
      const foreign = (await this.services.identity.listAuthorities()).filter(
        (authority) => !DEMO_CODES.has(authority.code),
      );
      if (foreign.length) {
        throw new DemoRefused(
          `This database holds authorities that are not part of the demo (${foreign.map((authority) => authority.code).join(', ')}); the demo, with its known passwords, is only loaded into a database of its own.`,
        );
      }
    }, this.sysadmin);
  }

  private async setUpAuthorities(): Promise<void> {
    await RequestContext.run(async () => {
      const existing = new Map(
        (await this.services.identity.listAuthorities()).map((authority) => [authority.code, authority]),
      );
      for (const [index, demo] of DEMO_AUTHORITIES.entries()) {
        let authority = existing.get(demo.code);
        if (authority) {
          this.report.skipped.authorities.push(demo.code);
        } else {
          this.clock.at(new Date(new Date(SETUP_AT).getTime() + index * MINUTE));
          authority = await this.services.identity.createAuthority({
            code: demo.code,
            name: demo.name,
            country: demo.country,
            timezone: demo.timezone,
            locale: demo.locale,
            holidayRegion: demo.holidayRegion,
          });
          this.report.created.authorities.push(demo.code);
        }
        this.authorities.set(demo.code, authority);
      }
    }, this.sysadmin);
    this.clock.live();
  }

  private async setUpUsers(): Promise<void> {
    await RequestContext.run(async () => {
      const existing = new Set((await this.services.identity.listUsers()).map((user) => user.email));
      let second = 0;
      for (const demo of DEMO_AUTHORITIES) {
        for (const role of DEMO_ROLES) {
          const email = demoEmail(demo.code, role);
          if (existing.has(email)) {
            this.report.skipped.users++;
            continue;
          }
          this.clock.at(new Date(new Date(SETUP_AT).getTime() + 30 * MINUTE + ++second * 1000));
          const password = demoPassword(demo.code, role);
          await this.services.identity.createUser({
            email,
            name: demo.users[role],
            password,
            role: userRole(role),
            authority: demo.code,
          });
          this.report.created.users.push({ authority: demo.code, role, email, password });
        }
      }
      for (const user of await this.services.identity.listUsers()) this.users.set(user.email, user);
    }, this.sysadmin);
    this.clock.live();
  }

  /** Organisations by legal name and the demo's cases by tag, as they stand before this run. */
  private async findExisting(): Promise<void> {
    for (const demo of DEMO_ORGANISATIONS) {
      const page = await this.services.organisations.search({ q: demo.request.name, limit: 200 });
      const found = page.items.find(
        (organisation) => organisation.name === demo.request.name && organisation.country === demo.request.country,
      );
      if (found) this.organisationIds.set(demo.request.name, found.id);
    }
    for (const authority of this.authorities.values()) {
      await RequestContext.asAuthority(authority.id, async () => {
        let cursor: string | undefined;
        do {
          const page = await this.services.cases.list({ limit: 200, cursor });
          for (const kase of page.items) {
            const tag = kase.tags.find((candidate) => candidate.startsWith('demo:'));
            if (tag) this.caseIds.set(tag, kase.id);
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      });
    }
  }

  // ---- the story as ordered steps ----

  /**
   * A relative time is office hours in the authority's zone: 09:00 on the local day `days` from the day
   * the demo is loaded, plus `minutes`; never later than the moment the demo is loaded.
   */
  private instant(when: When, timeZone: string): Date {
    if (when === 'live') return new Date();
    if (typeof when === 'string') return new Date(when);
    const local = DateTime.fromJSDate(this.startedAt, { zone: timeZone })
      .startOf('day')
      .plus({ days: when.days })
      .set({ hour: 9 })
      .plus({ minutes: when.minutes ?? 0 });
    return new Date(Math.min(local.toMillis(), this.startedAt.getTime()));
  }

  /** Sort key: 'live' steps come last, in the order they are listed. */
  private order(when: When, timeZone: string): number {
    return when === 'live' ? Number.POSITIVE_INFINITY : this.instant(when, timeZone).getTime();
  }

  private zone(code: string): string {
    return (DEMO_AUTHORITIES.find((authority) => authority.code === code) as DemoAuthority).timezone;
  }

  /** Every step in time order, so each authority's audit trail reads forward. */
  private plan(): Step[] {
    const steps: Step[] = [];
    for (const organisation of DEMO_ORGANISATIONS) {
      steps.push({
        at: organisation.at,
        authority: organisation.registeredBy.authority,
        what: `register ${organisation.request.name}`,
        run: () => this.registerOrganisation(organisation),
      });
    }
    for (const kase of DEMO_CASES) {
      steps.push({
        at: kase.opened.at,
        authority: kase.authority,
        what: `open ${kase.tag}`,
        caseTag: kase.tag,
        run: () => this.openCase(kase),
      });
      const seen = { inquiry: 0, response: 0 };
      for (const event of kase.events) {
        const ordinal = event.kind === 'inquiry' || event.kind === 'response' ? seen[event.kind]++ : 0;
        steps.push({
          at: event.at,
          authority: kase.authority,
          what: `${event.kind} of ${kase.tag}`,
          caseTag: kase.tag,
          run: () => this.runEvent(kase, event, ordinal),
        });
      }
    }
    return steps
      .map((step, index) => ({ step, index, key: this.order(step.at, this.zone(step.authority)) }))
      .sort((a, b) => a.key - b.key || a.index - b.index)
      .map(({ step }) => step);
  }

  private actor(ref: DemoActor): Actor {
    const user = this.users.get(demoEmail(ref.authority, ref.role));
    const authority = this.authorities.get(ref.authority);
    if (!user || !authority) throw new Error(`demo user ${ref.role} of ${ref.authority} is missing`);
    return { userId: user.id, authorityId: authority.id, role: user.role, label: `${user.name} <${user.email}>` };
  }

  /** Runs `work` as `ref` with the clock at `when`. */
  private as<T>(ref: DemoActor, when: When, work: () => Promise<T>): Promise<T> {
    if (when === 'live') this.clock.live();
    else this.clock.at(this.instant(when, this.zone(ref.authority)));
    return RequestContext.run(work, this.actor(ref));
  }

  private async registerOrganisation(demo: (typeof DEMO_ORGANISATIONS)[number]): Promise<Outcome> {
    if (this.organisationIds.has(demo.request.name)) {
      this.report.skipped.organisations.push(demo.request.name);
      return 'skipped';
    }
    const created = await this.as(demo.registeredBy, demo.at, () => this.services.organisations.create(demo.request));
    this.organisationIds.set(demo.request.name, created.id);
    this.report.created.organisations.push(demo.request.name);
    return 'ran';
  }

  private async openCase(kase: DemoCase): Promise<Outcome> {
    if (this.caseIds.has(kase.tag)) return 'skipped';
    const organisationId = this.organisationIds.get(kase.organisation);
    const assignee = this.users.get(demoEmail(kase.authority, kase.opened.assignee));
    if (!organisationId || !assignee) throw new Error(`organisation ${kase.organisation} or assignee missing`);
    const { opened } = kase;
    const created = await this.as({ authority: kase.authority, role: opened.by }, opened.at, () =>
      this.services.cases.create({
        organisationId,
        title: opened.title,
        type: opened.type,
        legalBasis: opened.legalBasis,
        priority: opened.priority,
        assigneeId: assignee.id,
        products: opened.products,
        riskFlags: opened.riskFlags,
        tags: [kase.tag, ...(opened.tags ?? [])],
      }),
    );
    this.caseIds.set(kase.tag, created.id);
    this.report.created.cases.push(`${created.reference} ${kase.tag}`);
    return 'ran';
  }

  private caseId(kase: DemoCase): string {
    const id = this.caseIds.get(kase.tag);
    if (!id) throw new Error(`case ${kase.tag} was not opened`);
    return id;
  }

  private async deadline(caseId: string, ref: DeadlineRef): Promise<DeadlineRecord> {
    const found = (await this.services.deadlines.forCase(caseId))
      .filter((deadline) => deadline.kind === ref.kind)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime())[ref.nth];
    if (!found) throw new Error(`the case has no ${ref.kind} deadline number ${ref.nth + 1}`);
    return found;
  }

  private runEvent(kase: DemoCase, event: DemoEvent, ordinal: number): Promise<Outcome> {
    const id = this.caseId(kase);
    const demoAuthority = DEMO_AUTHORITIES.find((authority) => authority.code === kase.authority) as DemoAuthority;
    const authority = this.authorities.get(kase.authority) as AuthorityView;
    const by = (role: DemoRole) => ({ authority: kase.authority, role });
    const s = this.services;
    switch (event.kind) {
      case 'share':
        return this.as(by(event.by), event.at, async () => {
          if ((await s.cases.get(id)).sharedForCoordination) return 'skipped';
          await s.cases.setSharing(id, true);
          return 'ran';
        });
      case 'note':
        return this.as(by(event.by), event.at, async () => {
          if ((await s.cases.get(id)).notes.some((note) => note.text === event.text)) return 'skipped';
          await s.cases.addNote(id, event.text);
          return 'ran';
        });
      case 'inquiry':
        return this.sendInquiry(kase, id, demoAuthority, authority, event, ordinal);
      case 'response':
        return this.as(by(event.by), event.at, async () => {
          if ((await s.responses.forCase(id)).length > ordinal) return 'skipped';
          const inquiries = await s.inquiries.forCase(id);
          const inquiry = inquiries[inquiries.length - 1];
          if (!inquiry) throw new Error('a response needs an inquiry');
          await s.responses.record(inquiry.id, {
            receivedAt: this.instant(event.receivedAt, authority.timezone).toISOString(),
            channel: event.channel,
            summary: event.summary,
            answers: event.answers,
          });
          return 'ran';
        });
      case 'outcome':
        return this.as(by(event.by), event.at, async () => {
          const decidedAt = this.instant(event.decidedAt, authority.timezone);
          const existing = await s.outcomes.forCase(id);
          // A current-set decision is dated relative to the first load; on later runs the type alone identifies it.
          const relative = typeof event.decidedAt !== 'string';
          if (
            existing.some(
              (outcome) =>
                outcome.type === event.type &&
                (relative || new Date(outcome.decidedAt).getTime() === decidedAt.getTime()),
            )
          )
            return 'skipped';
          await s.outcomes.record(id, {
            type: event.type,
            decidedAt: decidedAt.toISOString(),
            summary: event.summary,
            legalBasis: event.legalBasis,
            published: event.published,
            noticeTo: event.noticeTo,
            compliance: event.compliance,
            followUpChecks: event.followUpChecks,
            reminders: event.reminders === 'none' ? [] : undefined,
          });
          return 'ran';
        });
      case 'deadline':
        return this.as(by(event.by), event.at, async () => {
          if ((await s.deadlines.forCase(id)).some((deadline) => deadline.label === event.label)) return 'skipped';
          const reminderPlan = event.reminders === 'none' ? [] : OUTCOME_REMINDERS.map((item) => ({ ...item }));
          await s.deadlines.createForCase(id, {
            kind: event.deadlineKind,
            label: event.label,
            eventAt: this.instant(event.eventAt, authority.timezone),
            rule: { type: 'period', ...event.rule },
            reminderPlan,
          });
          return 'ran';
        });
      case 'waive':
        return this.as(by(event.by), event.at, async () => {
          const deadline = await this.deadline(id, event.deadline);
          if (deadline.status === 'waived' || deadline.status === 'met') return 'skipped';
          await s.deadlines.waive(deadline.id, event.reason);
          return 'ran';
        });
      case 'missed':
        return this.as(by('manager'), event.at, async () => {
          const deadline = await this.deadline(id, event.deadline);
          if (deadline.status !== 'pending') return 'skipped';
          // What the overdue sweep does, as the system.
          const marked = await RequestContext.asAuthority(authority.id, () => s.deadlines.markMissed(deadline.id));
          if (!marked) throw new Error(`deadline ${deadline.id} is not yet due (${deadline.dueAt.toISOString()})`);
          return 'ran';
        });
      case 'closure':
        return this.as(by(event.by), event.at, async () => {
          if ((await s.calendar.listClosures(kase.authority)).some((closure) => closure.reason === event.reason))
            return 'skipped';
          const deadline = await this.deadline(id, event.on);
          await s.calendar.addClosure(kase.authority, deadline.dueDate, event.reason);
          return 'ran';
        });
      case 'representative':
        return this.as(by(event.by), event.at, async () => {
          const organisation = await s.organisations.get((await s.cases.get(id)).organisationId);
          const wanted = event.representative;
          const current = organisation.representatives.find((entry) => entry.jurisdiction === wanted.jurisdiction);
          if (current && current.appointed === wanted.appointed && current.name === (wanted.name ?? null))
            return 'skipped';
          const others = organisation.representatives.filter((entry) => entry.jurisdiction !== wanted.jurisdiction);
          const representatives = current
            ? organisation.representatives.map((entry) => (entry.jurisdiction === wanted.jurisdiction ? wanted : entry))
            : [...others, wanted];
          await s.organisations.update(organisation.id, organisation.version, {
            representatives: representatives.map((entry) => ({
              jurisdiction: entry.jurisdiction,
              appointed: entry.appointed,
              name: entry.name ?? undefined,
              email: entry.email ?? undefined,
              address: entry.address ?? undefined,
            })),
          });
          return 'ran';
        });
    }
  }

  private async sendInquiry(
    kase: DemoCase,
    id: string,
    demo: DemoAuthority,
    authority: AuthorityView,
    event: Extract<DemoEvent, { kind: 'inquiry' }>,
    ordinal: number,
  ): Promise<Outcome> {
    const s = this.services;
    const sentAt = this.instant(event.at, authority.timezone);
    const result = await this.as({ authority: kase.authority, role: event.by }, event.at, async () => {
      if ((await s.inquiries.forCase(id)).length > ordinal) return null;
      let reminders: ReminderPlanItem[] = [];
      if (event.reminders === 'upcoming') {
        const template = await s.templates.resolve('ai-inquiry');
        const due = new Date((await s.deadlines.preview(authority.id, sentAt, ruleOf(event.deadline))).dueAt);
        const now = Date.now();
        reminders = template.defaultReminders.filter(
          (item) => fireAt(due, item.offset, authority.timezone).getTime() > now + PLAN_MARGIN_MS,
        );
        if (event.liveReminders) {
          reminders.push(
            { offset: offsetFor(due, new Date(now + 1 * MINUTE)), audience: 'assignee' },
            { offset: offsetFor(due, new Date(now + 2 * MINUTE)), audience: 'manager' },
            { offset: offsetFor(due, new Date(now + 3 * MINUTE)), audience: 'respondent' },
          );
        }
      }
      const created = await s.inquiries.create(id, {
        template: 'ai-inquiry',
        locale: event.locale ?? demo.letterLocale,
        to: event.to,
        cc: event.cc,
        questionIds: event.questionIds,
        deadline: event.deadline,
        reminders,
      });
      if (created.inquiry.outboundMessageId) await s.deliver(created.inquiry.outboundMessageId);
      return created.deadline;
    });
    if (!result) return 'skipped';
    if (typeof event.at === 'object') await this.requeue(kase, result);
    return 'ran';
  }

  /**
   * The jobs of a deadline created with the clock set in the past were given delays counted from that
   * past instant. Adds them again, counted from now, under new job ids; the early copies find their
   * reminder already sent (or their deadline settled) when they run, and do nothing.
   */
  private async requeue(kase: DemoCase, deadline: DeadlineRecord): Promise<void> {
    this.clock.live();
    const authority = this.authorities.get(kase.authority) as AuthorityView;
    await RequestContext.asAuthority(authority.id, async () => {
      const current = await this.services.deadlines.get(deadline.id);
      const reminders = (await this.services.deadlines.remindersOf([deadline.id])).filter(
        (reminder) => reminder.status === 'scheduled',
      );
      await this.services.scheduler.enqueue(
        reminders,
        current.status === 'pending' ? [current] : [],
        `demo${this.startedAt.getTime()}`,
      );
    });
  }

  private print(): void {
    const { created, skipped } = this.report;
    const out = this.log;
    if (created.users.length) {
      out('Demo users (shown once; the demo is for trying Docket, never for real work):');
      for (const demo of DEMO_AUTHORITIES) {
        const rows = created.users.filter((user) => user.authority === demo.code);
        if (rows.length)
          out(
            `  ${demo.code.padEnd(7)} ${rows.map((user) => `${user.role} ${user.email} / ${user.password}`).join('\n          ')}`,
          );
      }
    }
    const list = (items: string[]) => (items.length ? items.join(', ') : 'none');
    const nothingNew = created.steps === 0 && created.authorities.length === 0 && created.users.length === 0;
    if (nothingNew) {
      out(
        `Demo already loaded, nothing changed: skipped authorities ${list(skipped.authorities)}, ${skipped.users} users, ${skipped.organisations.length} organisations, ${skipped.cases.length} cases (${skipped.steps} steps).`,
      );
      return;
    }
    out(
      `Demo loaded: authorities ${list(created.authorities)}; ${created.users.length} users; organisations ${list(created.organisations)}; cases ${list(created.cases)}; ${created.steps} steps.`,
    );
    if (skipped.steps || skipped.authorities.length || skipped.users) {
      out(
        `Demo skipped (already there): authorities ${list(skipped.authorities)}; ${skipped.users} users; organisations ${list(skipped.organisations)}; cases ${list(skipped.cases)}; ${skipped.steps} steps.`,
      );
    }
  }
}

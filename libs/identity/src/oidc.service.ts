import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { DataSource } from 'typeorm';
import { AuditService } from '#docket/audit';
import { languageOfLocale, translate, type MessageParams } from '#docket/i18n';
import {
  Clock,
  InvalidInput,
  NotAllowed,
  NotFound,
  RequestContext,
  RUNTIME,
  Unavailable,
  UnitOfWork,
  ValidationProblem,
  type FieldError,
  type Runtime,
} from '#docket/platform';
import { Authority } from './authority.entity.js';
import type { OidcSettingsRequest } from './dto.js';
import { AuthorityOidcSettings, type MappedRole, type Provisioning } from './oidc-settings.entity.js';
import { hashPassword } from './passwords.js';
import { SecretBox } from './secret-box.js';
import { roleFromClaim, roleMapProblem } from './sso-roles.js';
import { OidcSettingsRepository } from './oidc-settings.repository.js';
import { UserRepository } from './user.repository.js';
import { UserLifecycleService } from './user-lifecycle.service.js';
import { User } from './user.entity.js';
import { userView } from './views.js';

/** What the browser keeps (signed, in a cookie) between the redirect to the provider and the callback. */
export interface OidcFlow {
  authority: string;
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  expiresAt: number;
}

export interface OidcSettingsView {
  issuer: string;
  clientId: string;
  clientSecretSet: boolean;
  emailClaim: string;
  emailDomains: string[];
  label: string;
  enabled: boolean;
  roleClaim: string | null;
  roleMap: Record<string, MappedRole>;
  defaultRole: MappedRole | null;
  provisioning: Provisioning;
  ssoOnly: boolean;
  /** Only in the answer to the save that made the authority single-sign-on only: the password sessions it ended. */
  endedSessions?: number;
  redirectUri: string;
}

/**
 * A single sign-on that cannot go on, as a refusal of its kind; the sign-in page says why (never a 500) with its
 * catalogue message (`sso.refused.*`, the detail in English).
 */
export type SsoRefusal = SsoNotOffered | SsoProviderUnavailable | SsoFlowInvalid | SsoRefused;

export function isSsoRefusal(error: unknown): error is SsoRefusal {
  return (
    error instanceof SsoNotOffered ||
    error instanceof SsoProviderUnavailable ||
    error instanceof SsoFlowInvalid ||
    error instanceof SsoRefused
  );
}

/** The authority offers no single sign-on (none set up, or switched off). */
export class SsoNotOffered extends NotFound {
  constructor(authority: string) {
    super(translate('en', 'sso.refused.none', { authority }));
    this.withMessage('sso.refused.none', { authority });
  }
}

/** The authority's sign-in service does not answer now: later, or with a password, it may work. */
export class SsoProviderUnavailable extends Unavailable {
  constructor(authority: string) {
    super(translate('en', 'sso.refused.unavailable', { authority }));
    this.withMessage('sso.refused.unavailable', { authority });
  }
}

/**
 * The round trip is broken: it did not start in this browser or took too long (`flow`), or the service's answer fails
 * the checks (`answer`: state, nonce, PKCE, issuer, audience, signature, expiry).
 */
export class SsoFlowInvalid extends InvalidInput {
  constructor(key: 'sso.refused.flow' | 'sso.refused.answer', params: MessageParams = {}) {
    super(translate('en', key, params));
    this.withMessage(key, params);
  }
}

/** The service's answer names nobody who may sign in here (no verified address, another domain, no account, …). */
export class SsoRefused extends NotAllowed {
  constructor(
    key:
      | 'sso.refused.noEmail'
      | 'sso.refused.unverified'
      | 'sso.refused.domain'
      | 'sso.refused.noAccount'
      | 'sso.refused.deactivated'
      | 'sso.refused.noRole',
    params: MessageParams = {},
  ) {
    super(translate('en', key, params));
    this.withMessage(key, params);
  }
}

const FLOW_MINUTES = 10;
const CONFIG_CACHE_MS = 10 * 60_000;
const loopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/**
 * Single sign-on with each authority's OpenID Connect provider (openid-client as relying party): authorization
 * code flow with PKCE, state and nonce; the ID token's e-mail claim (verified) is matched to an existing active
 * user of that authority only. Client secrets are sealed with a key derived from the audit key (SecretBox).
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger(OidcService.name);
  private readonly box: SecretBox;
  private readonly configs = new Map<string, { version: number; at: number; config: oidc.Configuration }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly settingsRows: OidcSettingsRepository,
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly lifecycle: UserLifecycleService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    this.box = new SecretBox(runtime.auditKey, 'oidc-client-secret');
  }

  redirectUri(code: string): string {
    return `${this.runtime.config.PUBLIC_URL.replace(/\/$/, '')}/auth/oidc/${encodeURIComponent(code)}/callback`;
  }

  /** The authority the caller administers (404 for any other). */
  private async administered(code: string): Promise<Authority> {
    const actor = RequestContext.actor();
    const authority = await this.dataSource.getRepository(Authority).findOne({ where: { code } });
    if (!authority || (actor.role !== 'sysadmin' && authority.id !== actor.authorityId))
      throw new NotFound(`There is no authority ${code} that you administer.`).withMessage(
        'problem.authorities.notAdministered',
        { code },
      );
    if (actor.role !== 'sysadmin' && actor.role !== 'admin')
      throw new NotAllowed('Only administrators change how their authority signs in.').withMessage(
        'problem.authorities.signInAdminsOnly',
      );
    return authority;
  }

  private view(code: string, settings: AuthorityOidcSettings & { clientSecret?: string | null }): OidcSettingsView {
    return {
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecretSet: Boolean(settings.clientSecret),
      emailClaim: settings.emailClaim,
      emailDomains: settings.emailDomains,
      label: settings.label,
      enabled: settings.enabled,
      roleClaim: settings.roleClaim ?? null,
      roleMap: settings.roleMap ?? {},
      defaultRole: settings.defaultRole ?? null,
      provisioning: settings.provisioning ?? 'existing',
      ssoOnly: settings.ssoOnly ?? false,
      redirectUri: this.redirectUri(code),
    };
  }

  /** The settings of an authority, read acting for it (its administrator, or the sign-in link that names it). */
  private load(authorityId: string): Promise<AuthorityOidcSettings | null> {
    return RequestContext.actor().authorityId === authorityId
      ? this.settingsRows.withSecret()
      : RequestContext.asAuthority(authorityId, () => this.settingsRows.withSecret(), 'single sign-on');
  }

  async settings(code: string): Promise<OidcSettingsView | null> {
    const authority = await this.administered(code);
    const settings = await this.load(authority.id);
    return settings ? this.view(code, settings) : null;
  }

  /** Stores the provider after reading its discovery document (a wrong issuer is a 400, nothing stored). */
  /**
   * Switching the authority to single sign-on only ends at once every session and API token its users got with a
   * password, but the one asking (`keepTokenId`), as a deactivation would.
   */
  async save(code: string, input: OidcSettingsRequest, keepTokenId?: string): Promise<OidcSettingsView> {
    const authority = await this.administered(code);
    const existing = await this.load(authority.id);
    const clientSecret =
      input.clientSecret === undefined
        ? (existing?.clientSecret ?? null)
        : input.clientSecret === null
          ? null
          : this.box.seal(input.clientSecret);
    const issuer = input.issuer.replace(/\/$/, '');
    const issuerUrl = new URL(issuer);
    if (issuerUrl.protocol !== 'https:' && !loopback(issuerUrl))
      throw new ValidationProblem([
        { field: 'issuer', message: 'issuer must be an https URL', key: 'signIn.refusal.issuerHttps' },
      ]);
    try {
      await this.discover(issuer, input.clientId, clientSecret ? this.box.open(clientSecret) : null);
    } catch (error) {
      throw new ValidationProblem(
        [
          {
            field: 'issuer',
            message: `the provider's discovery document could not be read at this issuer`,
            key: 'signIn.refusal.discovery',
          },
        ],
        `The issuer ${issuer} did not answer with an OpenID Connect discovery document (${error instanceof Error ? error.message : String(error)}); nothing was stored.`,
      ).withMessage('signIn.refusal.discoveryDetail', { issuer });
    }
    const row = {
      authorityId: authority.id,
      issuer,
      clientId: input.clientId,
      clientSecret,
      emailClaim: input.emailClaim ?? existing?.emailClaim ?? 'email',
      emailDomains: input.emailDomains ?? existing?.emailDomains ?? [],
      label: input.label ?? existing?.label ?? authority.name,
      enabled: input.enabled ?? existing?.enabled ?? true,
      roleClaim: input.roleClaim === undefined ? (existing?.roleClaim ?? null) : input.roleClaim,
      roleMap: input.roleMap ?? existing?.roleMap ?? {},
      defaultRole: input.defaultRole === undefined ? (existing?.defaultRole ?? null) : input.defaultRole,
      provisioning: input.provisioning ?? existing?.provisioning ?? 'existing',
      ssoOnly: input.ssoOnly ?? existing?.ssoOnly ?? false,
    };
    const problems = settingsProblems(row);
    if (problems.length) throw new ValidationProblem(problems);
    const ssoOnlyNow = row.enabled && row.ssoOnly && !(existing?.enabled && existing.ssoOnly);
    const endedSessions = await this.unitOfWork.run(async () => {
      const { authorityId: _authorityId, ...settings } = row;
      await RequestContext.actingFor(authority.id, () => this.settingsRows.store(settings));
      const ended = ssoOnlyNow
        ? await RequestContext.actingFor(authority.id, () =>
            this.users.endPasswordSessions(keepTokenId ?? null, this.clock.now()),
          )
        : 0;
      const shown = (settings: typeof row | null) =>
        settings && { ...settings, clientSecret: settings.clientSecret ? 'set' : null, authorityId: undefined };
      await this.audit.record({
        authorityId: authority.id,
        action: 'authority.sso_configured',
        entityType: 'authority',
        entityId: authority.id,
        before: shown(existing) ?? undefined,
        after: {
          ...shown(row),
          clientSecretChanged: input.clientSecret !== undefined,
          ...(ssoOnlyNow ? { endedSessions: ended } : {}),
        },
      });
      return ended;
    });
    this.configs.delete(authority.id);
    const view = this.view(code, { ...row, updatedAt: new Date() } as AuthorityOidcSettings);
    return ssoOnlyNow ? { ...view, endedSessions } : view;
  }

  async remove(code: string): Promise<void> {
    const authority = await this.administered(code);
    await this.unitOfWork.run(async () => {
      const removed = await RequestContext.actingFor(authority.id, () => this.settingsRows.remove());
      if (!removed)
        throw new NotFound(`${code} has no single sign-on set up.`).withMessage('problem.authorities.noSso', { code });
      await this.audit.record({
        authorityId: authority.id,
        action: 'authority.sso_removed',
        entityType: 'authority',
        entityId: authority.id,
      });
    });
    this.configs.delete(authority.id);
  }

  /** The enabled provider of the authority whose listed domain the address has (for the sign-in page). */
  async providerForEmail(email: string): Promise<{ code: string; label: string } | null> {
    const domain = email.trim().toLowerCase().split('@')[1];
    if (!domain) return null;
    const [row] = (await this.dataSource.query(
      `SELECT a.code, s.label FROM authority_oidc_settings s JOIN authorities a ON a.id = s.authority_id
        WHERE s.enabled AND $1 = ANY (s.email_domains) ORDER BY a.code LIMIT 1`,
      [domain],
    )) as { code: string; label: string }[];
    return row ?? null;
  }

  /** Whether the sign-in page offers single sign-on by e-mail domain (some enabled provider lists domains). */
  async offeredByDomain(): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM authority_oidc_settings WHERE enabled AND cardinality(email_domains) > 0 LIMIT 1`,
    )) as unknown[];
    return rows.length > 0;
  }

  /** The enabled provider of an authority, by its code (the sign-in page's button). */
  async providerOf(code: string): Promise<{ code: string; label: string } | null> {
    const [row] = (await this.dataSource.query(
      `SELECT a.code, s.label FROM authority_oidc_settings s JOIN authorities a ON a.id = s.authority_id
        WHERE s.enabled AND a.code = $1`,
      [code],
    )) as { code: string; label: string }[];
    return row ?? null;
  }

  private async discover(issuer: string, clientId: string, clientSecret: string | null): Promise<oidc.Configuration> {
    const url = new URL(issuer);
    return oidc.discovery(url, clientId, undefined, clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(), {
      execute: loopback(url) ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
    });
  }

  private async configuration(code: string): Promise<{ settings: AuthorityOidcSettings; config: oidc.Configuration }> {
    const [authority] = (await this.dataSource.query(`SELECT id FROM authorities WHERE code = $1`, [code])) as {
      id: string;
    }[];
    const settings = authority ? await this.load(authority.id) : null;
    if (!authority || !settings?.enabled) throw new SsoNotOffered(code);
    const version = settings.updatedAt.getTime();
    const cached = this.configs.get(authority.id);
    if (cached && cached.version === version && Date.now() - cached.at < CONFIG_CACHE_MS)
      return { settings, config: cached.config };
    try {
      const config = await this.discover(
        settings.issuer,
        settings.clientId,
        settings.clientSecret ? this.box.open(settings.clientSecret) : null,
      );
      this.configs.set(authority.id, { version, at: Date.now(), config });
      return { settings, config };
    } catch (error) {
      this.logger.warn(`OIDC discovery of ${settings.issuer} for ${code} failed: ${String(error)}`);
      throw new SsoProviderUnavailable(code);
    }
  }

  /** The provider's authorization URL (code flow, PKCE S256, state, nonce) and what the callback will check. */
  async start(code: string, next: string): Promise<{ url: string; flow: OidcFlow }> {
    const { config } = await this.configuration(code);
    const flow: OidcFlow = {
      authority: code,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      next,
      expiresAt: Date.now() + FLOW_MINUTES * 60_000,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(code),
      scope: 'openid email profile',
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.href, flow };
  }

  /**
   * The callback: exchanges the code (checking state, nonce, PKCE, issuer, audience, signature and expiry) and
   * finds the authority's active user with the ID token's verified e-mail address.
   */
  async finish(code: string, callbackQuery: string, flow: OidcFlow | null): Promise<User> {
    if (!flow || flow.authority !== code || flow.expiresAt < Date.now()) throw new SsoFlowInvalid('sso.refused.flow');
    const { settings, config } = await this.configuration(code);
    const current = new URL(`${this.redirectUri(code)}?${callbackQuery}`);
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`OIDC sign-in to ${code} refused: ${reason}`);
      throw new SsoFlowInvalid('sso.refused.answer', { reason });
    }
    const value = claims?.[settings.emailClaim];
    if (typeof value !== 'string' || !value.includes('@'))
      throw new SsoRefused('sso.refused.noEmail', { claim: settings.emailClaim });
    if (settings.emailClaim === 'email' && claims?.email_verified !== true)
      throw new SsoRefused('sso.refused.unverified', { email: value });
    const email = value.toLowerCase();
    const domain = email.split('@')[1]!;
    if (settings.emailDomains.length && !settings.emailDomains.includes(domain))
      throw new SsoRefused('sso.refused.domain', { email, authority: code });
    const mapped = settings.roleClaim ? roleFromClaim(claims?.[settings.roleClaim], settings.roleMap) : null;
    // E-mail addresses are unique across the deployment: an address of another authority is no user of this one.
    const existing = await this.dataSource.getRepository(User).findOne({ where: { email } });
    const user =
      existing && existing.authorityId === settings.authorityId
        ? existing
        : !existing && settings.provisioning === 'jit' && settings.emailDomains.includes(domain)
          ? await this.provision(code, settings, email, claims ?? {}, mapped)
          : null;
    if (!user) throw new SsoRefused('sso.refused.noAccount', { email, authority: code });
    if (!user.active) throw new SsoRefused('sso.refused.deactivated', { email });
    if (mapped && mapped !== user.role)
      user.role = await RequestContext.asAuthority(
        settings.authorityId,
        () => this.lifecycle.assignRoleFromProvider(user.id, mapped, settings.issuer),
        `single sign-on (${settings.issuer})`,
      );
    return user;
  }

  /** Just-in-time provisioning: the first sign-in of a listed domain's address creates its user (audited). */
  private async provision(
    code: string,
    settings: AuthorityOidcSettings,
    email: string,
    claims: Record<string, unknown>,
    mapped: MappedRole | null,
  ): Promise<User | null> {
    const role = mapped ?? settings.defaultRole;
    if (!role) throw new SsoRefused('sso.refused.noRole', { email, authority: code });
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
    // Nobody knows this password: the account signs in through the provider (or after a reset link).
    const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
    return RequestContext.asAuthority(
      settings.authorityId,
      () =>
        this.unitOfWork.run(async (manager) => {
          await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`users:${settings.authorityId}`]);
          const raced = await manager.getRepository(User).findOne({ where: { email } });
          if (raced) return raced.authorityId === settings.authorityId ? raced : null;
          const authority = await manager
            .getRepository(Authority)
            .findOneOrFail({ where: { id: settings.authorityId } });
          const user = await manager.save(
            manager.create(User, {
              authorityId: authority.id,
              email,
              name,
              role,
              language: languageOfLocale(authority.locale),
              passwordHash,
              active: true,
            }),
          );
          await this.audit.record({
            authorityId: authority.id,
            action: 'user.created',
            entityType: 'user',
            entityId: user.id,
            after: { ...userView(user, authority), authority: authority.code, via: 'sso', issuer: settings.issuer },
          });
          return user;
        }),
      `single sign-on (${settings.issuer})`,
    );
  }
}

/** Settings that cannot work together (400 naming the field). */
function settingsProblems(row: {
  enabled: boolean;
  emailDomains: string[];
  roleClaim: string | null;
  roleMap: Record<string, unknown>;
  provisioning: Provisioning;
  ssoOnly: boolean;
}): FieldError[] {
  const problems: FieldError[] = [];
  const mapProblem = roleMapProblem(row.roleMap);
  if (mapProblem) problems.push({ field: 'roleMap', message: mapProblem, key: 'signIn.error.roleMap' });
  if (Object.keys(row.roleMap).length && !row.roleClaim)
    problems.push({
      field: 'roleClaim',
      message: 'roleClaim names the claim that roleMap reads',
      key: 'signIn.refusal.roleClaim',
    });
  if (row.provisioning === 'jit' && !row.emailDomains.length)
    problems.push({
      field: 'provisioning',
      message: 'creating users at first sign-in needs the e-mail domains whose addresses may have an account',
      key: 'signIn.error.provisioning',
    });
  if (row.ssoOnly && !row.enabled)
    problems.push({
      field: 'ssoOnly',
      message: 'sign-in through single sign-on only needs the provider enabled',
      key: 'signIn.error.ssoOnly',
    });
  return problems;
}

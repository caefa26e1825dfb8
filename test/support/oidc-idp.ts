import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import Provider, { type ClientMetadata } from 'oidc-provider';

/** A free TCP port on loopback (for a server whose own address must be known before it starts). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface IdpAccount {
  email: string;
  email_verified: boolean;
  name?: string;
  /** Released with the profile scope, e.g. for an authority's claim-to-role table. */
  groups?: string[];
}

/**
 * A real OpenID provider (oidc-provider) on loopback: its own development login and consent pages (any account id,
 * any password), the accounts given, codes valid for `codeSeconds`.
 */
export class TestIdp {
  readonly accounts = new Map<string, IdpAccount>();
  /**
   * While not 0, the provider's clock runs this far off when it issues tokens (a provider with a wrong clock): its
   * ID tokens then carry such `iat` and `exp`.
   */
  tokenClockOffsetMs = 0;
  private server?: Server;
  issuer = '';

  async start(clients: ClientMetadata[], codeSeconds = 60): Promise<this> {
    const port = await freePort();
    this.issuer = `http://127.0.0.1:${port}`;
    const provider = new Provider(this.issuer, {
      clients,
      findAccount: (_ctx, sub) => {
        const account = this.accounts.get(sub);
        return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      ttl: { AuthorizationCode: codeSeconds },
      cookies: { keys: ['docket-test-idp-cookie-key'] },
      features: { devInteractions: { enabled: true } },
    });
    const handle = provider.callback();
    this.server = createServer((request, response) => {
      if (this.tokenClockOffsetMs && request.method === 'POST' && request.url?.startsWith('/token')) {
        // Only this request is in flight (the relying party awaits its answer); the clock returns when it is sent.
        const realNow = Date.now;
        const offset = this.tokenClockOffsetMs;
        Date.now = () => realNow() + offset;
        response.on('finish', () => (Date.now = realNow));
        response.on('close', () => (Date.now = realNow));
      }
      void handle(request, response);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A browser without a browser: fetch with a cookie jar, following redirects by hand so each hop can be seen. */
export class CookieBrowser {
  readonly jar = new Map<string, string>();

  private cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        accept: 'text/html',
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  /** Follows redirects from `url` until a page answers, or until the next hop starts with `stopAt` (not fetched). */
  async follow(
    url: string,
    options: { form?: Record<string, string>; stopAt?: string } = {},
  ): Promise<{ response: Response | null; url: string }> {
    let current = url;
    let response = await this.request(current, { form: options.form });
    for (let hop = 0; hop < 20 && response.status >= 300 && response.status < 400; hop += 1) {
      current = new URL(response.headers.get('location')!, current).href;
      if (options.stopAt && current.startsWith(options.stopAt)) return { response: null, url: current };
      response = await this.request(current);
    }
    return { response, url: current };
  }
}

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Globals of the browser page, for the functions given to page.evaluate (the project compiles without the DOM lib).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any;
declare const document: any;
declare function getComputedStyle(element: unknown): any;

/** Where sign-in lands: My work for an officer, the dashboard for everyone else. */
export const HOME_URL = /\/(dashboard|my-work)$/;

/**
 * Debian's Chromium headless shell (package chromium-headless-shell: the same Blink engine and version as the package
 * chromium, without the browser's own interface) when it is installed, else Debian's chromium; CHROMIUM_PATH chooses.
 * Measured on the 2-core VM: test/browser/web took 42 s with the shell against 72 s with chromium, whose new headless
 * mode still runs the browser interface's renderers beside each page.
 */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ??
  (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium');
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'screenshots');

/** Debian's chromium, headless, with nothing that talks to the network on its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh context (empty profile: no cookies) at a desktop or phone width. */
export function newContext(browser: Browser, baseURL: string, width = 1280): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width, height: width < 600 ? 740 : 900 }, locale: 'en-GB' });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page. The pages' CSP allows scripts from the
 * site only, which also blocks an injected <script> tag, so axe is evaluated over the DevTools
 * protocol (which CSP does not govern) rather than with page.addScriptTag.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(() =>
    (window.axe.run(document, { resultTypes: ['violations'] }) as Promise<{ violations: AxeViolation[] }>).then(
      (result) =>
        result.violations.map(({ id, impact, help, nodes }) => ({
          id,
          impact,
          help,
          nodes: nodes.map((node) => ({ target: node.target })),
        })),
    ),
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`,
    );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Whether the page is wider than its viewport (sideways scrolling). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** Console errors and CSP reports of a page, collected from now on. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/** How the focused element shows focus: outline and box-shadow as computed. */
export function focusStyle(
  page: Page,
): Promise<{ id: string; tag: string; text: string; outlineStyle: string; outlineWidth: number; boxShadow: string }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
      id: element.id,
      tag: element.tagName.toLowerCase(),
      text: (element.textContent ?? '').trim(),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      boxShadow: style.boxShadow,
    };
  });
}

/** A page's text at `selector` (the first match), with white space folded. */
export const text = async (page: Page, selector: string): Promise<string> =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The `<section>` headed by `heading`. */
export const section = (page: Page, heading: string | RegExp, level?: number) =>
  page.locator('section', { has: page.getByRole('heading', { name: heading, exact: true, level }) });

/**
 * Submits a form by its button, with the keyboard, and waits for the page that answers (a redirect's target, or the
 * form again); answers 303 for a redirect, else the status shown. A mouse click right after scrolling a long page can
 * land on a sandboxed letter frame that headless Chromium is still placing, so the keyboard it is (which also shows
 * every form works without a mouse).
 */
export async function submit(page: Page, button: string): Promise<number> {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: button, exact: true }).press('Enter'),
  ]);
  return response?.request().redirectedFrom() ? 303 : (response?.status() ?? 0);
}

const UUID_SEGMENT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * What makes a page distinct for the accessibility check: who looks at it (role and authority: the account), at
 * which width, the path with its ids replaced (`/cases/:id`), the names of its query parameters, and whether it
 * shows an error summary, a flash message or an alert (a form re-rendered with its errors is another page).
 */
async function pageKey(page: Page, who: string): Promise<string> {
  const url = new URL(page.url());
  const path = url.pathname.replace(UUID_SEGMENT, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
  const query = [...new Set(url.searchParams.keys())].sort().join('&');
  const state = await page.evaluate(() =>
    ['.error-summary', '.flash', '[role="alert"]']
      .map((selector) => (document.querySelector(selector) ? 1 : 0))
      .join(''),
  );
  const width = (page.viewportSize()?.width ?? 1280) < 600 ? 'narrow' : 'wide';
  return `${who} ${width} ${path}?${query} ${state}`;
}

/**
 * The browser of one test file and the helpers every browser spec uses: sign-in, visiting and checking a page. axe-core
 * runs once per distinct page of the file (see `pageKey`) rather than on every visit: the same template for the same
 * viewer shows the same structure, and axe is the slowest step of a visit.
 */
export class BrowserSession {
  browser!: Browser;
  private readonly contexts: BrowserContext[] = [];
  private readonly accounts = new Map<BrowserContext, string>();
  private readonly checked = new Set<string>();
  /** How many axe runs were skipped as repeats (for the report of a run). */
  skipped = 0;

  /** `baseURL` is read when a context opens (the server may start after the session is made). */
  constructor(private readonly baseURL: () => string) {}

  async start(): Promise<this> {
    this.browser = await launchBrowser();
    return this;
  }

  // The helpers are arrow functions so that a spec can take them apart: `const { visit, check } = session`.

  /** A page in a fresh context (no cookies). */
  readonly fresh = async (width = 1280): Promise<Page> => {
    const context = await newContext(this.browser, this.baseURL(), width);
    this.contexts.push(context);
    return context.newPage();
  };

  /**
   * Signs in with the sign-in form's request (its CSRF token and cookies, in the page's own context) and opens the
   * home page it sends to (My work or the dashboard). The form itself, in the browser, is tested by hand where it is
   * the subject; a helper that only needs a signed-in page spares the browser a page load.
   */
  readonly signIn = async (email: string, password: string, width = 1280): Promise<Page> => {
    const page = await this.fresh(width);
    const form = await page.request.get('/login');
    expect(form.status()).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!csrf) throw new Error('no CSRF token on the sign-in page');
    const answer = await page.request.post('/login', { form: { _csrf: csrf, email, password }, maxRedirects: 0 });
    const home = answer.headers().location ?? '';
    expect({ email, status: answer.status(), home }).toEqual({
      email,
      status: 303,
      home: expect.stringMatching(HOME_URL),
    });
    await page.goto(home);
    expect(page.url()).toMatch(HOME_URL);
    this.accounts.set(page.context(), email);
    return page;
  };

  /**
   * Opens a page and checks it: the status (200 unless said), no serious accessibility violation, no console error
   * (CSP included); a screenshot under `name` if given.
   */
  readonly visit = async (page: Page, path: string, name?: string, status = 200): Promise<void> => {
    const errors = watchConsole(page);
    const response = await page.goto(path);
    expect({ path, status: response?.status() }).toEqual({ path, status });
    await this.check(page, name);
    // A 404 page logs its own failed load; nothing else may reach the console.
    expect(errors.filter((error) => status === 200 || !error.includes('404'))).toEqual([]);
  };

  /** No serious or critical axe-core violation on the page (once per distinct page), and its screenshot if named. */
  readonly check = async (page: Page, name?: string): Promise<void> => {
    const key = await pageKey(page, await this.viewer(page));
    if (this.checked.has(key)) this.skipped++;
    else {
      expect(await axeViolations(page)).toEqual([]);
      this.checked.add(key);
    }
    if (name) await screenshot(page, name);
  };

  /**
   * Who looks at the page: the account signed in by `signIn`; for a context signed in otherwise (by hand), that
   * context alone; else a visitor.
   */
  private async viewer(page: Page): Promise<string> {
    const context = page.context();
    const account = this.accounts.get(context);
    if (account) return account;
    const signedIn = await page.evaluate(() => Boolean(document.querySelector('form[action="/logout"]')));
    return signedIn ? `context ${this.contexts.indexOf(context)}` : 'visitor';
  }

  readonly close = async (): Promise<void> => {
    // AXE_REPORT=1 says how many pages axe checked and how many visits it skipped as repeats.
    if (process.env.AXE_REPORT)
      console.log(`axe-core: ${this.checked.size} distinct pages checked, ${this.skipped} repeats`);
    // Closing the browser closes its contexts (one by one, they took seconds).
    await this.browser?.close();
  };
}

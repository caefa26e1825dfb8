import type { Browser, Page } from 'playwright-core';
import { bearer, createTenant, type Tenant } from '../support/app.js';
import { createCase, createProvider } from '../support/fixtures.js';
import { startBuiltServer, type BuiltServer } from './server.js';
import { axeViolations, HOME_URL, launchBrowser, screenshot, watchConsole } from './support.js';

/** Runs in the page (playwright's evaluate), where the DOM has it. */
declare function getComputedStyle(element: unknown): { wordBreak: string };

/** The English words of the header and navigation: none may show on a Korean or Japanese page. */
const ENGLISH_NAVIGATION = [
  'My work',
  'Dashboard',
  'Deadlines',
  'Cases',
  'Organisations',
  'Calendar',
  'Campaigns',
  'Inbox',
  'Outbox',
  'Coordination',
  'Profile',
  'Sign out',
  'Search',
  'Skip to main content',
];

/** Words of the forms converted last (issue 20): none may show through on a Korean or Japanese page. */
const ENGLISH_FORM_WORDS = [
  'Documents',
  'Letterhead',
  'Second factor',
  'Show cases',
  'Reminders',
  'Recipients',
  'Add a reminder',
  'Check the letters',
  'Preview the letter',
  // The description of Docket's own templates (the letter form, the campaign form, the templates page).
  'Initial request for information',
];

/**
 * The English words of "why this date" (libs/calendar's reasons) and of the deadline services' refusals: none may
 * show in a Korean or Japanese explanation or form error.
 */
const ENGLISH_DOMAIN_WORDS = [
  'Event',
  'counted',
  'working day',
  'weekend',
  'Public holiday',
  'Due',
  'rule set',
  'national law',
  'period',
  'Saturday',
  'Sunday',
  'extension',
  'due date',
  'later than',
  'this gives',
  'Enter',
];

const englishIn = (text: string, words: string[]) =>
  words.filter((word) => new RegExp(`\\b${word}\\b`, 'i').test(text));

const PAGES = [
  'dashboard',
  'my-work',
  'deadlines',
  'cases',
  'case',
  'organisations',
  'calendar',
  'campaigns',
  'inbox',
  'outbox',
  'coordination',
  'search',
  'campaigns/new',
  'inquiry',
  'me',
  'me',
];

/**
 * Issue 20: a PIPC user reads Korean and a PPC user Japanese on every main page of the built app: the page's `lang`,
 * no English in the header and navigation, and screenshots (Debian's fonts-noto-cjk) under test-output/screenshots.
 */
describe('pages in Korean and Japanese, in headless Chromium (built server)', () => {
  let test: BuiltServer;
  let browser: Browser;
  const cases: Record<string, string> = {};
  /** A deadline of 20 working days from now per authority: its explanation skips weekends (and holidays). */
  const periodDeadlines: Record<string, string> = {};

  /** A manager of the authority created with no language: they read the authority's. */
  async function reader(
    tenant: Tenant,
    email: string,
    locale: string,
    organisationName: string,
    labels: { byHand: string; period: string },
  ): Promise<void> {
    const created = await test
      .http()
      .post('/api/v1/users')
      .set(bearer(tenant.tokens.admin))
      .send({
        email,
        name: email.split('@')[0],
        password: 'cjk-reader-password-1',
        role: 'manager',
        authority: tenant.code,
      })
      .expect(201);
    expect(created.body.language).toBe(locale);
    const organisation = await createProvider(test, tenant.tokens.officer, organisationName);
    const kase = await createCase(test, tenant, organisation, { title: 'Chatbot training data', priority: 'high' });
    cases[tenant.code] = kase.id;
    await test
      .http()
      .post(`/api/v1/cases/${kase.id}/deadlines`)
      .set(bearer(tenant.tokens.officer))
      .send({ label: labels.byHand, dueAt: new Date(Date.now() + 5 * 24 * 3600_000).toISOString() })
      .expect(201);
    const period = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/deadlines`)
      .set(bearer(tenant.tokens.officer))
      .send({ label: labels.period, count: 20, unit: 'business_days' })
      .expect(201);
    periodDeadlines[tenant.code] = period.body.id;
  }

  /** The deadline page's "why this date": in the reader's script, without an English word of the engine's. */
  async function explanationOf(page: Page, code: string, script: RegExp): Promise<string[]> {
    await page.goto(`/deadlines/${periodDeadlines[code]}`);
    const lines = await page.locator('ol.explanation li').allInnerTexts();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const english = lines.flatMap((line) => englishIn(line, ENGLISH_DOMAIN_WORDS).map((word) => `${word}: ${line}`));
    expect(english).toEqual([]);
    expect(lines.filter((line) => !script.test(line))).toEqual([]);
    return lines;
  }

  /** Signs in through the sign-in page, which the browser's language (Accept-Language) already chose. */
  async function signIn(email: string, locale: string, labels: { email: string; password: string; submit: string }) {
    const context = await browser.newContext({ baseURL: test.baseURL, locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto('/login');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale.slice(0, 2));
    await page.getByLabel(labels.email).fill(email);
    await page.getByLabel(labels.password).fill('cjk-reader-password-1');
    await Promise.all([page.waitForURL(HOME_URL), page.getByRole('button', { name: labels.submit }).click()]);
    return page;
  }

  async function walk(page: Page, language: 'ko' | 'ja', code: string, script: RegExp): Promise<void> {
    for (const name of PAGES) {
      const path =
        name === 'case'
          ? `/cases/${cases[code]}`
          : name === 'inquiry'
            ? `/cases/${cases[code]}/inquiries/new`
            : name === 'search'
              ? '/search?q=Chatbot'
              : `/${name}`;
      const errors = watchConsole(page);
      const response = await page.goto(path);
      expect({ path, status: response?.status() }).toEqual({ path, status: 200 });
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(language);
      const chrome = `${await page.locator('header').innerText()}\n${await page.locator('.skip-link').textContent()}`;
      const english = ENGLISH_NAVIGATION.filter((word) => new RegExp(`\\b${word}\\b`).test(chrome));
      expect({ path, english }).toEqual({ path, english: [] });
      // The forms' own words too (the inquiry and campaign forms, the profile's second factor).
      const main = await page.locator('main').innerText();
      const formEnglish = ENGLISH_FORM_WORDS.filter((phrase) => main.includes(phrase));
      expect({ path, formEnglish }).toEqual({ path, formEnglish: [] });
      const heading = (await page.locator('h1').first().innerText()).trim();
      expect({ path, heading: script.test(heading) || heading.includes('Chatbot') }).toEqual({ path, heading: true });
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
      expect({ path, errors }).toEqual({ path, errors: [] });
      if (name === 'case') {
        // The timeline's lines (case opened, deadlines set) in the reader's language.
        const timeline = await page
          .locator('section[aria-labelledby="timeline-title"] td:nth-child(3)')
          .allInnerTexts();
        expect(timeline.length).toBeGreaterThanOrEqual(3);
        const english = timeline.filter((line) => /\b(Opened|Deadline set|due)\b/.test(line));
        expect({ path, english }).toEqual({ path, english: [] });
      }
      if (name === 'calendar') {
        // Public holidays under their names in the reader's language (New Year's Day: 신정, 元日).
        const holidays = await page.locator('section[aria-labelledby="holidays-title"] tbody').innerText();
        expect({ path, holidays: holidays.includes(language === 'ko' ? '신정' : '元日') }).toEqual({
          path,
          holidays: true,
        });
      }
      if (name === 'deadlines') {
        // Korean lines break between words, never inside one ("담당|자"); Japanese, written without spaces, anywhere.
        const breaks = await page
          .locator('thead th')
          .first()
          .evaluate((cell) => getComputedStyle(cell).wordBreak);
        expect({ path, breaks }).toEqual({ path, breaks: language === 'ko' ? 'keep-all' : 'normal' });
      }
      await screenshot(page, `i18n-${language}-${name}`);
    }
  }

  beforeAll(async () => {
    // The server and the browser start side by side.
    [test, browser] = await Promise.all([startBuiltServer(), launchBrowser()]);
    const pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
    const ppc = await createTenant(test, 'PPC', {
      country: 'JP',
      timezone: 'Asia/Tokyo',
      locale: 'ja-JP',
      holidayRegion: 'JP',
    });
    // Labels as the authorities' own staff write them (a label is the user's text, shown as entered).
    await reader(pipc, 'kim@pipc.test', 'ko', 'Hanbit AI Co., Ltd.', {
      byHand: '옵트아웃 관련 자료 제출',
      period: '개선 권고 이행 결과 제출',
    });
    await reader(ppc, 'sato@ppc.test', 'ja', 'Sakura Models K.K.', {
      byHand: 'オプトアウトに関する資料の提出',
      period: '改善勧告への対応結果の報告',
    });
  });

  afterAll(async () => {
    // Closing the browser closes its contexts (one by one, they took seconds).
    await browser?.close();
    await test?.close();
  });

  it('shows a PIPC manager every main page in Korean', async () => {
    const page = await signIn('kim@pipc.test', 'ko-KR', {
      email: '이메일 주소',
      password: '비밀번호',
      submit: '로그인',
    });
    await expect(page.locator('nav.nav').innerText()).resolves.toContain('처리기한');
    // Dates in Korean, in Seoul's zone.
    await page.goto('/deadlines');
    await expect(page.locator('#deadline-total').innerText()).resolves.toMatch(/처리기한 \d+건/);
    await walk(page, 'ko', 'PIPC', /[\uAC00-\uD7AF]/);

    // "Why this date" in Korean: weekends as the authority's rest days, the due time, the Civil Act's roll-over.
    const lines = await explanationOf(page, 'PIPC', /[\uAC00-\uD7AF]/);
    expect(lines.some((line) => line.includes('기관의 주간 휴무일'))).toBe(true);
    expect(lines.some((line) => line.includes('처리기한:'))).toBe(true);
    await screenshot(page, 'i18n-ko-deadline');

    // A refusal of the deadline service shown on the form: an extension to a date before the current due date.
    const tomorrow = new Date(Date.now() + 36 * 3600_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Seoul' });
    await page.locator('#extend-mode-date').check();
    await page.locator('#extend-dueDate').fill(tomorrow);
    await page.locator('#extend-reason').fill('기관·기업이 추가 자료 제출을 위해 기한 연장을 요청함');
    await Promise.all([page.waitForLoadState('load'), page.locator('#extend-form button[type=submit]').click()]);
    const summary = await page.locator('.error-summary').innerText();
    const fieldError = await page.locator('#extend-form .field-error').first().innerText();
    expect({ summary, english: englishIn(`${summary}\n${fieldError}`, ENGLISH_DOMAIN_WORDS) }).toEqual({
      summary: expect.stringMatching(/처리기한/),
      english: [],
    });
    expect(fieldError).toMatch(/[\uAC00-\uD7AF]/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'i18n-ko-deadline-form-error');
  });

  it('shows a PPC manager every main page in Japanese', async () => {
    const page = await signIn('sato@ppc.test', 'ja-JP', {
      email: 'メールアドレス',
      password: 'パスワード',
      submit: 'ログイン',
    });
    await expect(page.locator('nav.nav').innerText()).resolves.toContain('案件');
    await page.goto('/me');
    await expect(page.locator('#language-language').inputValue()).resolves.toBe('ja');
    await walk(page, 'ja', 'PPC', /[\u3040-\u30FF\u4E00-\u9FFF]/);

    const lines = await explanationOf(page, 'PPC', /[\u3040-\u30FF\u4E00-\u9FFF]/);
    expect(lines.some((line) => line.includes('期限：'))).toBe(true);
    await screenshot(page, 'i18n-ja-deadline');

    // A service's refusal by the field it concerns (the search's kinds of record, its catalogue message): Japanese.
    await page.goto('/search?q=Chatbot&type=faxes');
    const fieldError = (await page.locator('#search-form .field-error').first().innerText()).trim();
    expect(fieldError).toContain('検索対象：表示された選択肢から選んでください');
    expect(englishIn(fieldError, ['type', 'must', 'one', 'comma', 'separated'])).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});

import type { TestApp } from './app.js';

/** Cookies of a response, as one Cookie header value (name=value; …), merged over `jar`. */
export function cookiesOf(
  setCookie: string[] | string | undefined,
  jar: Record<string, string> = {},
): Record<string, string> {
  const merged = { ...jar };
  for (const line of ([] as string[]).concat(setCookie ?? [])) {
    const [pair] = line.split(';');
    const index = pair.indexOf('=');
    const name = pair.slice(0, index);
    const value = pair.slice(index + 1);
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

export const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

/** The sign-in form's CSRF token and the browser cookies that go with it, as a browser would get them. */
export async function loginForm(test: TestApp): Promise<{ csrf: string; jar: Record<string, string> }> {
  const form = await test.http().get('/login').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  if (!csrf) throw new Error('no CSRF token on the sign-in page');
  return { csrf, jar: cookiesOf(form.headers['set-cookie']) };
}

/** Signs in through the sign-in page (as a browser does) and returns the browser's cookies. */
export async function pageSession(test: TestApp, email: string, password: string): Promise<Record<string, string>> {
  const { csrf, jar } = await loginForm(test);
  const response = await test
    .http()
    .post('/login')
    .type('form')
    .set('cookie', cookieHeader(jar))
    .send({ _csrf: csrf, email, password })
    .expect(303);
  const signedIn = cookiesOf(response.headers['set-cookie'], jar);
  if (!signedIn.docket_session) throw new Error('no session cookie after signing in');
  return signedIn;
}

import { translate } from '#docket/i18n';
import { databaseRefusal } from '#docket/platform';
import { bearer, createTenant, startTestApp, tokenFor, type Tenant, type TestApp } from './support/app.js';
import { createCase, createProvider } from './support/fixtures.js';
import { cookieHeader, cookiesOf, loginForm, pageSession } from './support/page-session.js';

/** Issue 20: each user's language, the sign-in page after Accept-Language, problem details in the user's language. */
describe('interface language', () => {
  let test: TestApp;
  let gpdp: Tenant;
  let pipc: Tenant;

  beforeAll(async () => {
    test = await startTestApp();
    gpdp = await createTenant(test, 'GPDP');
    pipc = await createTenant(test, 'PIPC', {
      country: 'KR',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      holidayRegion: 'KR',
    });
  });
  afterAll(() => test.close());

  const createUser = (tenant: Tenant, email: string, extra: Record<string, unknown> = {}) =>
    test
      .http()
      .post('/api/v1/users')
      .set(bearer(tenant.tokens.admin))
      .send({
        email,
        name: email.split('@')[0],
        password: 'a-long-password-12',
        role: 'officer',
        authority: tenant.code,
        ...extra,
      });

  it("gives a new user the authority's language unless one is given, and refuses an unknown code", async () => {
    const italian = await createUser(gpdp, 'rossi@gpdp.test').expect(201);
    expect(italian.body.language).toBe('it');
    const korean = await createUser(pipc, 'kim@pipc.test').expect(201);
    expect(korean.body.language).toBe('ko');
    const english = await createUser(pipc, 'lee@pipc.test', { language: 'en' }).expect(201);
    expect(english.body.language).toBe('en');
    const refused = await createUser(gpdp, 'bianchi@gpdp.test', { language: 'es' }).expect(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([
      { field: 'language', message: 'language must be one of en, it, ko, ja, fr, de, nl' },
    ]);
    const users = await test.http().get('/api/v1/users').set(bearer(gpdp.tokens.admin)).expect(200);
    expect(users.body.map((user: { email: string }) => user.email)).not.toContain('bianchi@gpdp.test');
    const me = await test
      .http()
      .get('/api/v1/me')
      .set(bearer(await tokenFor(test, 'kim@pipc.test', 'a-long-password-12')));
    expect(me.body).toMatchObject({ email: 'kim@pipc.test', language: 'ko' });
  });

  it('changes a language through PATCH /users/{id} (admins) and PATCH /me (anyone), refusing unknown codes', async () => {
    const user = await createUser(gpdp, 'verdi@gpdp.test').expect(201);
    const changed = await test
      .http()
      .patch(`/api/v1/users/${user.body.id}`)
      .set(bearer(gpdp.tokens.admin))
      .send({ language: 'de' })
      .expect(200);
    expect(changed.body.language).toBe('de');
    const refused = await test
      .http()
      .patch(`/api/v1/users/${user.body.id}`)
      .set(bearer(gpdp.tokens.admin))
      .send({ language: 'xx' })
      .expect(400);
    expect(refused.body.errors[0].field).toBe('language');
    const token = await tokenFor(test, 'verdi@gpdp.test', 'a-long-password-12');
    expect((await test.http().get('/api/v1/me').set(bearer(token))).body.language).toBe('de');
    const own = await test.http().patch('/api/v1/me').set(bearer(token)).send({ language: 'fr' }).expect(200);
    expect(own.body.language).toBe('fr');
    await test.http().patch('/api/v1/me').set(bearer(token)).send({ language: 'klingon' }).expect(400);
    await test.http().patch('/api/v1/me').set(bearer(token)).send({}).expect(400);
    expect((await test.http().get('/api/v1/me').set(bearer(token))).body.language).toBe('fr');
    const audit = await test.http().get('/api/v1/audit').set(bearer(gpdp.tokens.admin)).expect(200);
    const changes = (audit.body.items as { action: string; entityId: string; after: { language?: string } }[]).filter(
      (entry) => entry.entityId === user.body.id && entry.action === 'user.language_changed',
    );
    expect(changes.map((entry) => entry.after.language).sort()).toEqual(['de', 'fr']);
  });

  it("answers problem details from the catalogue in the token user's language; machine values stay English", async () => {
    await createUser(pipc, 'park@pipc.test', { role: 'viewer' }).expect(201);
    const korean = await tokenFor(test, 'park@pipc.test', 'a-long-password-12');
    const forbidden = await test.http().post('/api/v1/users').set(bearer(korean)).send({}).expect(403);
    expect(forbidden.body).toMatchObject({ status: 403, title: 'Not allowed' });
    expect(forbidden.body.detail).toBe(
      '이 작업에는 sysadmin, admin 중 하나의 역할이 필요합니다. 현재 역할은 viewer입니다.',
    );
    const invalid = await test.http().patch('/api/v1/me').set(bearer(korean)).send({ language: 'xx' }).expect(400);
    expect(invalid.body.title).toBe('Invalid request');
    expect(invalid.body.detail).toBe('요청에 유효하지 않은 필드가 있습니다. errors를 참조하십시오.');
    // The same refusal for an English user (the test tenants read English).
    const english = await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.viewer)).send({ language: 'xx' });
    expect(english.body.detail).toBe('The request has invalid fields; see errors.');
    const sysadmin = await test.http().post('/api/v1/users').set(bearer(gpdp.tokens.viewer)).send({}).expect(403);
    expect(sysadmin.body.detail).toBe('This action needs one of the roles sysadmin, admin; you are viewer.');
  });

  it("answers the deadline service's refusals in the token user's language; English callers keep the service's words", async () => {
    await createUser(pipc, 'jung@pipc.test', { role: 'officer' }).expect(201);
    const korean = await tokenFor(test, 'jung@pipc.test', 'a-long-password-12');
    const organisation = await createProvider(test, pipc.tokens.officer, 'Hanbit Data Co., Ltd.');
    const kase = await createCase(test, pipc, organisation);
    const deadline = (label: string) =>
      test
        .http()
        .post(`/api/v1/cases/${kase.id}/deadlines`)
        .set(bearer(pipc.tokens.officer))
        .send({ label, count: 10, unit: 'calendar_days' })
        .expect(201)
        .then((response) => response.body.id as string);
    const waived = await deadline('자료 제출');
    await test
      .http()
      .post(`/api/v1/deadlines/${waived}/waive`)
      .set(bearer(pipc.tokens.officer))
      .send({ reason: '자료가 이미 제출됨' })
      .expect(200);
    const extend = { count: 5, unit: 'calendar_days', reason: '기한 연장 요청' };
    const conflict = await test
      .http()
      .post(`/api/v1/deadlines/${waived}/extend`)
      .set(bearer(korean))
      .send(extend)
      .expect(409);
    expect(conflict.body).toMatchObject({ status: 409, title: 'Conflict' });
    expect(conflict.body.detail).toBe('처리기한이 면제 상태이므로 연장할 수 없습니다.');
    const english = await test
      .http()
      .post(`/api/v1/deadlines/${waived}/extend`)
      .set(bearer(pipc.tokens.officer))
      .send(extend)
      .expect(409);
    expect(english.body.detail).toBe(
      'A waived deadline cannot be extended; only a pending or suspended or missed one can.',
    );
    // A count the calendar cannot take: the detail in Korean, the field's message (the API's words) in English.
    const running = await deadline('보완 자료 제출');
    const tooLong = await test
      .http()
      .post(`/api/v1/deadlines/${running}/extend`)
      .set(bearer(korean))
      .send({ ...extend, count: 5000 })
      .expect(400);
    expect(tooLong.body.detail).toBe('1부터 3,660까지의 정수를 입력하십시오');
    expect(tooLong.body.errors).toEqual([{ field: 'count', message: '1부터 3,660까지의 정수를 입력하십시오' }]);
    const englishTooLong = await test
      .http()
      .post(`/api/v1/deadlines/${running}/extend`)
      .set(bearer(pipc.tokens.officer))
      .send({ ...extend, count: 5000 })
      .expect(400);
    expect(englishTooLong.body.errors).toEqual([
      { field: 'count', message: 'count must be a whole number from 1 to 3660 calendar days; got 5000' },
    ]);
  });

  it("answers the services' field errors in the token user's language; field names and English callers' words stay", async () => {
    // Italian: a case for an organisation that does not exist, an inquiry asking a question the bank does not have.
    await createUser(gpdp, 'greco@gpdp.test').expect(201);
    const italian = await tokenFor(test, 'greco@gpdp.test', 'a-long-password-12');
    const missing = '00000000-0000-4000-8000-000000000000';
    const newCase = (token: string) =>
      test
        .http()
        .post('/api/v1/cases')
        .set(bearer(token))
        .send({ organisationId: missing, title: 'Chatbot', type: 'ex_officio' })
        .expect(400);
    const refusedCase = await newCase(italian);
    expect(refusedCase.body).toMatchObject({ status: 400, title: 'Invalid request' });
    expect(refusedCase.body.detail).toBe('La richiesta contiene campi non validi; si veda errors.');
    expect(refusedCase.body.errors).toEqual([
      { field: 'organisationId', message: 'il soggetto indicato non esiste; registrarlo prima' },
    ]);
    expect((await newCase(gpdp.tokens.officer)).body.errors).toEqual([
      {
        field: 'organisationId',
        message: `there is no organisation with id ${missing}; register it with POST /api/v1/organisations`,
      },
    ]);
    const kase = await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer, 'Sorveglianza S.r.l.'));
    const unknownQuestion = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/inquiries`)
      .set(bearer(italian))
      .send({
        template: 'ai-inquiry',
        locale: 'it',
        to: ['dpo@sorveglianza.example'],
        questionIds: ['ai.collection.categories', 'gpdp.nessuna.domanda'],
        deadline: { count: 20, unit: 'calendar_days' },
      })
      .expect(400);
    expect(unknownQuestion.body.errors).toEqual([
      { field: 'questionIds.1', message: 'la domanda «gpdp.nessuna.domanda» non figura nella banca delle domande' },
    ]);

    // Korean: an administrator's new user with a very common password, and single sign-on over plain http.
    await createUser(pipc, 'han@pipc.test', { role: 'admin' }).expect(201);
    const korean = await tokenFor(test, 'han@pipc.test', 'a-long-password-12');
    const commonPassword = await createUser(pipc, 'yoon@pipc.test', { password: 'password1234' })
      .set(bearer(korean))
      .expect(400);
    const koreanRefusal =
      '이 비밀번호는 사용할 수 없습니다. 흔히 쓰이는 비밀번호입니다. 비밀번호는 12자 이상 200자 이하여야 하며, 이메일 주소나 이름을 사용할 수 없고, password1234 또는 123456789012와 같이 흔히 쓰이는 비밀번호도 사용할 수 없습니다.';
    expect(commonPassword.body.detail).toBe(koreanRefusal);
    expect(commonPassword.body.errors).toEqual([{ field: 'password', message: koreanRefusal }]);
    const englishPassword = await createUser(pipc, 'yoon@pipc.test', { password: 'password1234' }).expect(400);
    expect(englishPassword.body.errors[0].message).toMatch(
      /^This password cannot be used: it is a very common password\./,
    );
    const plainHttp = await test
      .http()
      .put(`/api/v1/authorities/${pipc.code}/oidc`)
      .set(bearer(korean))
      .send({ issuer: 'http://idp.pipc.example', clientId: 'docket' })
      .expect(400);
    expect(plainHttp.body.errors).toEqual([
      { field: 'issuer', message: '발급자를 https://로 시작하는 주소로 입력하십시오' },
    ]);
    const users = await test.http().get('/api/v1/users').set(bearer(pipc.tokens.admin)).expect(200);
    expect(users.body.map((user: { email: string }) => user.email)).not.toContain('yoon@pipc.test');
  });

  it('says on the outbox page where mail goes, in its reader’s words (no English left in another language)', async () => {
    const managerPage = async () => {
      const session = cookieHeader(await pageSession(test, 'manager@gpdp.test', 'manager-password-123'));
      return (await test.http().get('/outbox').set('cookie', session).expect(200)).text;
    };
    // No SMTP_URL here: mail is written to files.
    expect(await managerPage()).toMatch(/No mail server is set: mail is saved as files in \/\S+\/mail\./);
    await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.manager)).send({ language: 'it' }).expect(200);
    const italian = await managerPage();
    expect(italian).toMatch(
      /Non è configurato alcun server di posta: i messaggi sono salvati come file in \/\S+\/mail\./,
    );
    expect(italian).not.toContain('files in');
    await test.http().patch('/api/v1/me').set(bearer(gpdp.tokens.manager)).send({ language: 'en' }).expect(200);
  });

  it("writes the calendar feed in its owner's language: name, status words, descriptions, why each date", async () => {
    const created = await createUser(pipc, 'kang@pipc.test').expect(201);
    const korean = await tokenFor(test, 'kang@pipc.test', 'a-long-password-12');
    const kase = await createCase(test, pipc, await createProvider(test, pipc.tokens.officer, 'Saebyeok Co., Ltd.'), {
      assigneeId: created.body.id,
    });
    const deadline = await test
      .http()
      .post(`/api/v1/cases/${kase.id}/deadlines`)
      .set(bearer(pipc.tokens.officer))
      .send({ label: '자료 제출', count: 10, unit: 'business_days' })
      .expect(201);
    const issued = await test.http().post('/api/v1/me/ical-token').set(bearer(korean)).expect(200);
    const ics = (await test.http().get(new URL(issued.body.url).pathname).expect(200)).text.replace(/\r\n /g, '');
    expect(ics).toContain('X-WR-CALNAME:Docket PIPC: kang의 처리기한');
    expect(ics).toContain(`SUMMARY:${kase.reference}: 자료 제출`);
    expect(ics).toContain('상태: 진행 중');
    expect(ics).not.toMatch(/Due |; status |deadlines of/);
    const reasons = (deadline.body.explanation as { reason: string }[]).map((entry) => entry.reason);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(ics).not.toContain(reason.replace(/([,;])/g, '\\$1'));
  });

  it("answers the case and inquiry services' refusals in the token user's language; English callers keep the English", async () => {
    await createUser(pipc, 'seo@pipc.test', { role: 'officer' }).expect(201);
    const korean = await tokenFor(test, 'seo@pipc.test', 'a-long-password-12');
    const kase = await createCase(test, pipc, await createProvider(test, pipc.tokens.officer, 'Nuri Data Co., Ltd.'));
    const close = (token: string) =>
      test.http().post(`/api/v1/cases/${kase.id}/close`).set(bearer(token)).send({ reason: '조사 종료' });
    await close(pipc.tokens.officer).expect(200);
    const again = await close(korean).expect(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ status: 409, title: 'Conflict', currentStatus: 'closed', allowed: [] });
    expect(again.body.detail).toBe(
      `${kase.reference}: 종결된 사건에는 더 이상 어떤 처리도 할 수 없으므로 사건을 종결할 수 없습니다.`,
    );
    const english = await close(pipc.tokens.officer).expect(409);
    expect(english.body.detail).toBe(
      `${kase.reference}: The case is closed: nothing more can happen to it, so you cannot close the case.`,
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    const notFound = await test.http().get(`/api/v1/cases/${missing}`).set(bearer(korean)).expect(404);
    expect(notFound.body).toMatchObject({ status: 404, title: 'Not found' });
    expect(notFound.body.detail).toBe(`소속 기관에 식별자 ${missing}인 사건이 없습니다.`);

    // An Italian officer's inquiry on a closed case, and an inquiry that does not exist.
    await createUser(gpdp, 'ferri@gpdp.test').expect(201);
    const italian = await tokenFor(test, 'ferri@gpdp.test', 'a-long-password-12');
    const closed = await createCase(test, gpdp, await createProvider(test, gpdp.tokens.officer, 'Dati Sicuri S.p.A.'));
    await test
      .http()
      .post(`/api/v1/cases/${closed.id}/close`)
      .set(bearer(gpdp.tokens.manager))
      .send({ reason: 'Istruttoria conclusa' })
      .expect(200);
    const inquiry = (token: string) =>
      test
        .http()
        .post(`/api/v1/cases/${closed.id}/inquiries`)
        .set(bearer(token))
        .send({
          template: 'ai-inquiry',
          locale: 'it',
          to: ['dpo@dati-sicuri.example'],
          questionIds: ['ai.collection.categories'],
          deadline: { count: 20, unit: 'calendar_days' },
        });
    const refused = await inquiry(italian).expect(409);
    expect(refused.body).toMatchObject({ status: 409, title: 'Conflict' });
    expect(refused.body.detail).toBe(
      `Il procedimento ${closed.reference} è chiuso; non è possibile aggiungervi altri elementi.`,
    );
    expect((await inquiry(gpdp.tokens.officer).expect(409)).body.detail).toBe(
      `Case ${closed.reference} is closed; nothing more can be added to it.`,
    );
    const noInquiry = await test.http().get(`/api/v1/inquiries/${missing}`).set(bearer(italian)).expect(404);
    expect(noInquiry.body.detail).toBe(`Nell’autorità di appartenenza non risulta alcuna richiesta ${missing}.`);
  });

  it('explains a refused password-reset link in the language the browser asks for', async () => {
    const link = `/reset/${'A'.repeat(43)}`;
    const japanese = await test.http().get(link).set('accept-language', 'ja').expect(404);
    expect(japanese.text).toContain('<html lang="ja">');
    expect(japanese.text).toContain('このパスワード再設定リンクは無効です。');
    const english = await test.http().get(link).set('accept-language', 'en').expect(404);
    expect(english.text).toContain('This password-reset link is not valid');
  });

  it('writes the sign-in page in the language the browser asks for', async () => {
    const italian = await test.http().get('/login').set('accept-language', 'it-IT,it;q=0.9,en;q=0.8').expect(200);
    expect(italian.text).toContain('<html lang="it">');
    expect(italian.text).toContain('<h1>Accesso</h1>');
    expect(italian.text).toContain('Indirizzo e-mail');
    const japanese = await test.http().get('/login').set('accept-language', 'ja').expect(200);
    expect(japanese.text).toContain('<html lang="ja">');
    expect(japanese.text).toContain('メールアドレス');
    const other = await test.http().get('/login').set('accept-language', 'es-ES, pt;q=0.5').expect(200);
    expect(other.text).toContain('<html lang="en">');
    expect(other.text).toContain('<h1>Sign in</h1>');
    // A refused sign-in answers in the browser's language too.
    const { csrf, jar } = await loginForm(test);
    const wrong = await test
      .http()
      .post('/login')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .set('accept-language', 'de-DE')
      .send({ _csrf: csrf, email: 'nobody@gpdp.test', password: 'wrong-password-123' })
      .expect(401);
    expect(wrong.text).toContain('E-Mail-Adresse oder Passwort ist nicht korrekt');
  });

  it("shows a signed-in user's pages in their language and changes it on the profile page", async () => {
    await createUser(pipc, 'choi@pipc.test').expect(201);
    let jar = await pageSession(test, 'choi@pipc.test', 'a-long-password-12');
    const profile = await test.http().get('/me').set('cookie', cookieHeader(jar)).expect(200);
    expect(profile.text).toContain('<html lang="ko">');
    expect(profile.text).toContain('>사건<');
    expect(profile.text).not.toMatch(/>(Cases|Deadlines|Dashboard|Sign out)</);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(profile.text)![1];
    const unknown = await test
      .http()
      .post('/me/language')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrf, language: 'tlh' })
      .expect(400);
    expect(unknown.text).toContain('목록에 있는 언어 중 하나를 선택하십시오');
    const changed = await test
      .http()
      .post('/me/language')
      .type('form')
      .set('cookie', cookieHeader(jar))
      .send({ _csrf: csrf, language: 'fr' })
      .expect(303);
    jar = cookiesOf(changed.headers['set-cookie'], jar);
    const after = await test.http().get('/me').set('cookie', cookieHeader(jar)).expect(200);
    expect(after.text).toContain('<html lang="fr">');
    expect(after.text).toContain('Vos pages s’affichent désormais dans cette langue.');
    expect(after.text).toContain('>Dossiers<');
  });

  it("answers an import's row problems in the reader's language, on the page and in the API", async () => {
    await createUser(pipc, 'seo.manager@pipc.test', { role: 'manager' }).expect(201);
    const korean = await tokenFor(test, 'seo.manager@pipc.test', 'a-long-password-12');
    const future = `${new Date().getUTCFullYear() + 1}-06-01`;
    const csv = [
      'external_reference,organisation,title,type,opened,assignee,deadline_label,deadline_event,deadline_count,deadline_unit',
      `K-1,Nowhere Ltd,Matter,nonsense,${future},,,,,`,
    ].join('\n');
    const upload = (token: string, dryRun: boolean) =>
      test
        .http()
        .post('/api/v1/imports/cases')
        .query(dryRun ? { dryRun: 'true' } : {})
        .set(bearer(token))
        .attach('file', Buffer.from(csv, 'utf8'), { filename: 'cases.csv', contentType: 'text/csv' });
    const dry = await upload(korean, true).expect(200);
    expect(dry.body.problems).toEqual([
      {
        line: 2,
        column: 'type',
        message:
          '“nonsense”은(는) 사건 유형이 아닙니다. 다음 중 하나를 지정하십시오: ex_officio, complaint, cooperation, breach',
      },
      { line: 2, column: 'opened', message: `${future}은(는) 미래의 날짜입니다` },
      {
        line: 2,
        column: 'organisation',
        message:
          '“Nowhere Ltd”(이)라는 명칭(법적 명칭 또는 상호)으로 등록된 기관·기업이 없습니다. 먼저 등록하거나 명칭을 정정하십시오',
      },
    ]);
    // English callers keep the service's sentences; a file with problems is refused whole in the caller's language.
    const english = await upload(pipc.tokens.manager, true).expect(200);
    expect(english.body.problems[1]).toEqual({ line: 2, column: 'opened', message: `${future} is in the future` });
    const refused = await upload(korean, false).expect(422);
    expect(refused.body.detail).toMatch(/^문제가 있는 행이 1개 있어 아무것도 가져오지 않았습니다\./);
    expect(refused.body.report.problems[1].message).toBe(`${future}은(는) 미래의 날짜입니다`);
    expect(Object.keys(refused.body.report.problems[1]).sort()).toEqual(['column', 'line', 'message']);

    // The page, in Korean with the authority's dates.
    const jar = await pageSession(test, 'seo.manager@pipc.test', 'a-long-password-12');
    const form = await test.http().get('/imports/cases').set('cookie', cookieHeader(jar)).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const checked = await test
      .http()
      .post('/imports/cases')
      .set('cookie', cookieHeader(jar))
      .field('_csrf', csrf)
      .field('mode', 'check')
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'cases.csv', contentType: 'text/csv' })
      .expect(200);
    expect(checked.text).toContain('사건 유형이 아닙니다');
    // The date as the authority writes it, not the file's ISO form.
    expect(checked.text).toContain('은(는) 미래의 날짜입니다');
    expect(checked.text).not.toContain(`${future}은(는)`);
    expect(checked.text).not.toContain('is in the future');
    const broken = await test
      .http()
      .post('/imports/cases')
      .set('cookie', cookieHeader(jar))
      .field('_csrf', csrf)
      .field('mode', 'check')
      .attach('file', Buffer.from('title,"open\n', 'utf8'), { filename: 'broken.csv', contentType: 'text/csv' })
      .expect(400);
    expect(broken.text).toContain('1행: 따옴표로 묶은 필드가 닫히지 않았습니다.');
  });

  it("words the database's refusals in the reader's language too", () => {
    const unique = databaseRefusal(
      Object.assign(new Error('duplicate key'), {
        severity: 'ERROR',
        code: '23505',
        table: 'organisations',
        detail: 'Key (authority_id, legal_name, country)=(x, y, z) already exists.',
      }),
    )!;
    expect(unique.problem.detail).toMatch(/^An organisation with this legal name and country already exists/);
    expect(translate('ja', unique.messages.detail!.key, unique.messages.detail!.params)).toBe(
      'legalName, country が同じ記録が既に存在します（同時に作成された可能性があります）。既存の記録を使用するか、別の値を選択してください。',
    );
    expect(unique.messages.errors.map((message) => translate('it', message!.key, message!.params))).toEqual([
      'Questo valore è già utilizzato da un altro record.',
      'Questo valore è già utilizzato da un altro record.',
    ]);
    const deadlock = databaseRefusal(Object.assign(new Error('deadlock'), { severity: 'ERROR', code: '40P01' }))!;
    expect(translate('de', deadlock.messages.detail!.key)).toBe(
      'Zur selben Zeit wurden dieselben Datensätze anderweitig geändert; es wurde nichts geändert. Bitte versuchen Sie es erneut.',
    );
    const busy = databaseRefusal(Object.assign(new Error('too many clients'), { severity: 'FATAL', code: '53300' }))!;
    expect(translate('it', busy.messages.detail!.key)).toMatch(
      /^Al momento la banca dati non accetta ulteriori connessioni/,
    );
    // The server ending its sessions (shut down by its administrator, or a connection failure of class 08) is no answer
    // at all, not a fault of Docket's.
    for (const code of ['57P01', '57P02', '08006']) {
      const gone = databaseRefusal(Object.assign(new Error('terminating connection'), { severity: 'FATAL', code }))!;
      expect([code, gone.problem.status, translate('fr', gone.messages.detail!.key)]).toEqual([
        code,
        503,
        'Un service dont Docket dépend ne répond pas pour le moment. Veuillez réessayer dans quelques minutes ; si vous enregistriez une modification, vérifiez d’abord si elle a été enregistrée.',
      ]);
    }
  });
});

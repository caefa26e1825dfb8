import { simpleParser } from 'mailparser';
import { caseReference, classify, replyToken, sanitiseHtml } from './classify.js';
import { inboundDomains } from './inbound.service.js';
import { RateLimiter } from './smtp-listener.js';

const parse = (headers: string) => simpleParser(Buffer.from(`${headers}\r\nSubject: x\r\n\r\nbody`));

describe('inbound classification', () => {
  it('tells replies, automatic replies and bounces apart', async () => {
    expect(classify(await parse('From: a@b.example'), 'a@b.example')).toBe('reply');
    expect(classify(await parse('From: a@b.example\r\nAuto-Submitted: no'), 'a@b.example')).toBe('reply');
    expect(classify(await parse('From: a@b.example\r\nAuto-Submitted: auto-replied'), 'a@b.example')).toBe(
      'auto_reply',
    );
    expect(classify(await parse('From: a@b.example\r\nPrecedence: bulk'), 'a@b.example')).toBe('auto_reply');
    expect(classify(await parse('From: a@b.example\r\nX-Autoreply: yes'), 'a@b.example')).toBe('auto_reply');
    expect(classify(await parse('From: MAILER-DAEMON@mx.b.example'), '')).toBe('bounce');
    expect(
      classify(
        await parse('From: a@b.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x'),
        '',
      ),
    ).toBe('bounce');
  });

  it('finds the reply token only on an accepted domain, keeping its case', () => {
    const domains = new Set(['gpdp.example']);
    expect(replyToken(['someone@gpdp.example', 'reply+AbC123@GPDP.example'], domains)).toBe('AbC123');
    expect(replyToken(['reply+AbC123@other.example'], domains)).toBeNull();
  });

  it('finds a case reference in a subject', () => {
    expect(caseReference('Re: GPDP-2025-0042 answers')).toBe('GPDP-2025-0042');
    expect(caseReference('Re: CNIL-2026-12345')).toBe('CNIL-2026-12345');
    expect(caseReference('Re: invoice 2025-0042')).toBeNull();
  });

  it('strips scripts, handlers and javascript: links from HTML', () => {
    const clean = sanitiseHtml(
      '<p onclick="x()">Hi</p><script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">a</a><a href="https://ok.example">b</a>',
    );
    expect(clean).toContain('<p>Hi</p>');
    expect(clean).not.toMatch(/script|onerror|onclick|javascript:|<img/i);
    expect(clean).toContain('href="https://ok.example"');
  });

  it('reads the domain list with optional authority codes', () => {
    expect([...inboundDomains(['GPDP.example=gpdp', 'docket.example'])]).toEqual([
      ['gpdp.example', 'GPDP'],
      ['docket.example', null],
    ]);
  });

  it('limits deliveries per key per sliding minute', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    now = 60_001;
    expect(limiter.take('a')).toBe(true);
  });
});

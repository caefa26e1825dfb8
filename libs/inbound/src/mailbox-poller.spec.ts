import { imapOptions, mailboxEnvelope } from './mailbox-poller.js';

describe('mailboxEnvelope', () => {
  it('takes the recipients from Delivered-To, X-Original-To, To and Cc (folded lines too), and the sender from Return-Path', () => {
    const headers = [
      'Return-Path: <bounces@provider.example>',
      'From: "DPO, Provider" <dpo@provider.example>',
      'Delivered-To: reply+AbC123@docket.example',
      'To: "Garante" <protocollo@gpdp.example>,',
      '  other@gpdp.example',
      'Cc: copy@provider.example',
      '',
    ].join('\r\n');
    expect(mailboxEnvelope(headers, 'GPDP')).toEqual({
      from: 'bounces@provider.example',
      to: ['reply+AbC123@docket.example', 'protocollo@gpdp.example', 'other@gpdp.example', 'copy@provider.example'],
      triageAuthority: 'GPDP',
    });
  });

  it('falls back to From without Return-Path, and to nothing without addresses', () => {
    expect(mailboxEnvelope('From: dpo@provider.example\r\nSubject: hello\r\n')).toEqual({
      from: 'dpo@provider.example',
      to: [],
    });
    expect(mailboxEnvelope('')).toEqual({ from: '', to: [] });
  });
});

describe('imapOptions', () => {
  it('reads host, port, TLS and decoded credentials from the URL', () => {
    expect(imapOptions('imaps://user%40authority:p%40ss@imap.example')).toMatchObject({
      host: 'imap.example',
      port: 993,
      secure: true,
      auth: { user: 'user@authority', pass: 'p@ss' },
    });
    expect(imapOptions('imap://u:p@127.0.0.1:1143?tls=insecure')).toMatchObject({
      host: '127.0.0.1',
      port: 1143,
      secure: false,
      tls: { rejectUnauthorized: false },
    });
    expect(imapOptions('imap://u:p@mail.example')).not.toHaveProperty('tls');
  });
});

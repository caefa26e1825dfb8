import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fieldLabel, humanMessage, plainWords, readFieldLabels } from './messages.js';

const rome = { timezone: 'Europe/Rome', locale: 'en-GB' };

describe('messages for people', () => {
  it('reads the labels of the form fields from the views, leaving out a name labelled two ways', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docket-views-'));
    try {
      mkdirSync(join(dir, 'a'));
      writeFileSync(
        join(dir, 'a', 'one.liquid'),
        `{% render 'partials/field', form: 'extend', name: 'dueDate', label: 'New due date', type: 'date' %}
         {%- render 'partials/checkboxes',
              form: 'extend', name: 'reminders', legend: 'Reminders of the template', options: x -%}
         {% render 'partials/field', name: 'email', label: 'Email address' %}
         {% render 'partials/field', form: 'extend', name: 'reason', label: reasonLabel %}
         {% render 'partials/field', form: 'other', name: 'title', label: 'Title' %}`,
      );
      writeFileSync(
        join(dir, 'two.liquid'),
        `{% render 'partials/field', form: 'other', name: 'title', label: 'Name' %}`,
      );
      const labels = readFieldLabels(dir);
      expect(Object.fromEntries(labels.get('extend') ?? [])).toEqual({
        dueDate: 'New due date',
        reminders: 'Reminders of the template',
      });
      expect(labels.get('')?.get('email')).toBe('Email address');
      expect(labels.get('other')?.has('title')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows the labels of the real forms', () => {
    expect(fieldLabel('response', 'receivedDate')).toBe('Date received');
    expect(fieldLabel('campaign', 'organisationIds')).toBe('Organisations to include');
    expect(fieldLabel('outcome', 'referralTo')).toBe('Referred to');
  });

  it('names the field as the form labels it and shows an instant in the authority’s zone', () => {
    expect(
      humanMessage('receivedAt is before the inquiry was sent (2026-12-02T07:56:17.528Z)', {
        field: 'receivedDate',
        form: 'response',
        settings: rome,
      }),
    ).toBe('Date received is before the inquiry was sent (2 Dec 2026, 08:56 CET)');
    expect(
      humanMessage('deadline.count must not be less than 1', { field: 'count', form: 'inquiry', settings: rome }),
    ).toBe('Number must not be less than 1');
    expect(
      humanMessage('title must be shorter than or equal to 300 characters', {
        field: 'title',
        form: 'campaign',
        settings: rome,
      }),
    ).toBe('Name of the campaign must be shorter than or equal to 300 characters');
    // No label known: plain words, never the name in code.
    expect(humanMessage('weekendDays cannot cover the whole week', { field: 'weekendDays', settings: rome })).toBe(
      'weekend days cannot cover the whole week',
    );
    expect(
      humanMessage('a referral names the authority it goes to (referralTo)', {
        field: 'referralTo',
        form: 'outcome',
        settings: rome,
      }),
    ).toBe('a referral names the authority it goes to (“Referred to”)');
  });

  it('shows dates in words but leaves the example of what to type alone', () => {
    expect(humanMessage('2025-02-17 is already a closure day of GPDP.', { form: 'closure', settings: rome })).toBe(
      'Monday, 17 February 2025 is already a closure day of GPDP.',
    );
    expect(humanMessage('the due instant 2020-02-17T23:59:59.999+01:00 has already passed', { settings: rome })).toBe(
      'the due instant 17 Feb 2020, 23:59 CET has already passed',
    );
    expect(
      humanMessage('Enter the due date as a real date, for example 2025-03-03', { field: 'dueDate', settings: rome }),
    ).toBe('Enter the due date as a real date, for example 2025-03-03');
    expect(humanMessage('There is no case GPDP-2025-0001 in your authority', { settings: rome })).toBe(
      'There is no case GPDP-2025-0001 in your authority',
    );
  });

  it('drops the clause that sends a person to the API', () => {
    expect(
      humanMessage(
        'An organisation with the legal name "Acme" in CN is already registered; search for it with GET /api/v1/organisations?q=.',
        { field: 'orgName', settings: rome },
      ),
    ).toBe('An organisation with the legal name "Acme" in CN is already registered.');
    expect(
      humanMessage('there is no organisation with id 42; register it with POST /api/v1/organisations', {
        field: 'organisationId',
        settings: rome,
      }),
    ).toBe('there is no organisation with id 42');
  });

  it('leaves words that only look like code alone when they name no field', () => {
    expect(humanMessage('the letter to "dpo@iCloud.example" by eBay was refused', { settings: rome })).toBe(
      'the letter to "dpo@iCloud.example" by eBay was refused',
    );
    expect(plainWords('followUpChecks.0.count')).toBe('follow up checks count');
  });
});

import { isPagePath, safeNext } from './paths.js';

describe('safeNext', () => {
  it.each([
    ['/calendar?year=2025', '/calendar?year=2025'],
    ['/deadlines/1#history', '/deadlines/1#history'],
    ['/a/../dashboard', '/dashboard'],
  ])('keeps the path %s of this site', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it.each([
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['evil.example'],
    ['/\u0000x'],
    ['/ok\\..\\x'],
    ['/login?next=/x'],
    ['/logout'],
    [''],
    [undefined],
    [['/a']],
    ['/' + 'a'.repeat(2001)],
  ])('falls back to the dashboard for %j', (next) => {
    expect(safeNext(next)).toBe('/dashboard');
  });
});

describe('isPagePath', () => {
  it('leaves the API, health checks, assets and the calendar feed out', () => {
    expect(['/', '/dashboard', '/login', '/apis', '/healthy', '/icalendar'].map(isPagePath)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['/api', '/api/v1/me', '/health/ready', '/assets/docket.css', '/ical/abc.ics', '/ical/'].map(isPagePath),
    ).toEqual([false, false, false, false, false, false]);
  });

  it('never takes the API for a page, whatever the case of the path', () => {
    expect(['/API/v1/cases', '/Api/v1/me', '/aPi', '/HEALTH/ready', '/ASSETS/x.css'].map(isPagePath)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

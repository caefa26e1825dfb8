import { covers, representationFor } from './service-routes.js';

const garante = { country: 'IT', holidayRegion: 'IT' };
const berlin = { country: 'DE', holidayRegion: 'DE-BE' };
const pipc = { country: 'KR', holidayRegion: 'KR' };
const korea = {
  jurisdiction: 'KR',
  appointed: true,
  name: 'Representative Korea Ltd.',
  email: 'rep@kr.example',
  address: 'Seoul',
};
const noEu = { jurisdiction: 'EU', appointed: false, name: null, email: null, address: null };

describe('serving a provider without a representative', () => {
  it('matches a representative of the country, of the Union for an EEA authority, and of a state only for that state', () => {
    expect(covers('IT', garante)).toBe(true);
    expect(covers('EU', garante)).toBe(true);
    expect(covers('eu', berlin)).toBe(true);
    expect(covers('EU', pipc)).toBe(false);
    expect(covers('DE-BE', berlin)).toBe(true);
    expect(covers('DE-BY', berlin)).toBe(false);
    expect(covers('KR', pipc)).toBe(true);
  });

  it('names the representative where one is appointed', () => {
    const status = representationFor(pipc, [noEu, korea], [], []);
    expect(status.representative).toEqual(korea);
    expect(status.routes).toEqual([
      { route: 'representative', recipient: 'Representative Korea Ltd.', detail: 'Seoul' },
    ]);
  });

  it('offers the parent company, a representative elsewhere, app stores, the host and publication otherwise', () => {
    const status = representationFor(
      garante,
      [noEu, korea],
      [{ name: 'Hangzhou DeepSeek', country: 'CN', registrationNumber: null, address: 'Hangzhou' }],
      [{ name: 'Chat app', kind: 'app' }],
    );
    expect(status.representative).toBeNull();
    expect(status.recordedNone).toBe(true);
    expect(status.routes.map((route) => route.route)).toEqual([
      'parent_company',
      'other_representative',
      'app_store',
      'hosting_provider',
      'publication',
    ]);
    expect(status.routes[1].recipient).toBe('Representative Korea Ltd. (KR)');
    expect(representationFor(garante, [], [], [{ name: 'API', kind: 'api' }]).routes.map((r) => r.route)).toEqual([
      'hosting_provider',
      'publication',
    ]);
  });
});

import type { LegalEntity, Representative } from '#docket/registry';

/**
 * Serving a provider that has appointed no representative where the authority sits: the routes authorities used in
 * 2025 (the parent company, a representative appointed elsewhere, app stores, the hosting provider, publication).
 * Pure: no Nest, no database.
 */
export const SERVICE_ROUTES = [
  'representative',
  'parent_company',
  'other_representative',
  'app_store',
  'hosting_provider',
  'publication',
  'other',
] as const;
export type ServiceRoute = (typeof SERVICE_ROUTES)[number];

/** EU and EEA states: a representative appointed "in the Union" (GDPR Art. 27) serves all of them. */
const EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

/** Whether a representative's jurisdiction (IT, EU, DE-BE) covers an authority of this country and region. */
export function covers(jurisdiction: string, authority: { country: string; holidayRegion: string }): boolean {
  const code = jurisdiction.trim().toUpperCase();
  const country = authority.country.toUpperCase();
  if (code === country) return true;
  if ((code === 'EU' || code === 'EEA') && EEA.has(country)) return true;
  // A state's representative (DE-BE) serves only that state's authority.
  return code.includes('-') && code === authority.holidayRegion.toUpperCase();
}

export interface SuggestedRoute {
  route: ServiceRoute;
  recipient: string;
  detail: string | null;
}

export interface RepresentationStatus {
  /** The representative appointed where the authority sits, if any. */
  representative: Representative | null;
  /** The organisation is recorded as having appointed none there. */
  recordedNone: boolean;
  routes: SuggestedRoute[];
}

/** Who represents the organisation for this authority and, when nobody does, the routes that exist. */
export function representationFor(
  authority: { country: string; holidayRegion: string },
  representatives: Representative[],
  legalEntities: LegalEntity[],
  products: { name: string; kind: string | null }[],
): RepresentationStatus {
  const here = representatives.filter((entry) => covers(entry.jurisdiction, authority));
  const representative = here.find((entry) => entry.appointed) ?? null;
  if (representative) {
    return {
      representative,
      recordedNone: false,
      routes: [
        {
          route: 'representative',
          recipient: representative.name ?? representative.email ?? representative.jurisdiction,
          detail: representative.address ?? representative.email,
        },
      ],
    };
  }
  const routes: SuggestedRoute[] = [
    ...legalEntities.map((entity) => ({
      route: 'parent_company' as const,
      recipient: entity.name,
      detail: [entity.address, entity.country].filter(Boolean).join(', ') || null,
    })),
    ...representatives
      .filter((entry) => entry.appointed && !covers(entry.jurisdiction, authority))
      .map((entry) => ({
        route: 'other_representative' as const,
        recipient: `${entry.name ?? entry.email ?? 'Representative'} (${entry.jurisdiction})`,
        detail: entry.address ?? entry.email,
      })),
  ];
  if (products.some((product) => product.kind === 'app'))
    routes.push({ route: 'app_store', recipient: 'App stores distributing the app', detail: null });
  routes.push(
    { route: 'hosting_provider', recipient: 'Hosting provider of the service', detail: null },
    { route: 'publication', recipient: 'Publication on the authority’s website', detail: null },
  );
  return { representative: null, recordedNone: here.some((entry) => !entry.appointed), routes };
}

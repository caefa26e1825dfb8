export const CONTACT_ROLES = ['dpo', 'legal', 'representative', 'press', 'other'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const PRODUCT_KINDS = ['app', 'api', 'model', 'service'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** A company through which the organisation acts (a group may act through several). */
export interface LegalEntity {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  registrationNumber: string | null;
  address: string | null;
}

export interface Contact {
  name: string | null;
  email: string;
  role: ContactRole;
}

/**
 * The organisation's representative in one jurisdiction (GDPR Art. 27, PIPA Art. 31-2 …),
 * or the recorded fact that it has appointed none there.
 */
export interface Representative {
  /** A country (IT), a region (EU) or a country-state (DE-BE). */
  jurisdiction: string;
  appointed: boolean;
  name: string | null;
  email: string | null;
  address: string | null;
}

export interface Product {
  name: string;
  /** Null when the product was named without saying what it is. */
  kind: ProductKind | null;
}

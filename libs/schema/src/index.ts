import type { SchemaParts } from '#docket/platform';
import { auditEntities } from '#docket/audit';
import { identityEntities } from '#docket/identity';
import { migrations } from '../../../migrations/index.js';

/** Every entity and migration of Docket, listed explicitly (no globs: bundles and ESM break them). */
export const docketSchema: SchemaParts = {
  entities: [...identityEntities, ...auditEntities],
  migrations,
};

import type { SchemaParts } from '#docket/platform';
import { auditEntities } from '#docket/audit';
import { casesEntities } from '#docket/cases';
import { correspondenceEntities } from '#docket/correspondence';
import { decisionsEntities } from '#docket/decisions';
import { deadlinesEntities } from '#docket/deadlines';
import { identityEntities } from '#docket/identity';
import { mailingEntities } from '#docket/mailing';
import { registryEntities } from '#docket/registry';
import { reportingEntities } from '#docket/reporting';
import { migrations } from '../../../migrations/index.js';

/** Every entity and migration of Docket, listed explicitly (no globs: bundles and ESM break them). */
export const docketSchema: SchemaParts = {
  entities: [...identityEntities, ...auditEntities, ...registryEntities, ...casesEntities, ...mailingEntities, ...deadlinesEntities, ...correspondenceEntities, ...decisionsEntities, ...reportingEntities],
  migrations,
};

import type { SchemaParts } from '#docket/platform';
import { auditAppendOnlyTables, auditEntities } from '#docket/audit';
import { campaignsEntities } from '#docket/campaigns';
import { casesEntities } from '#docket/cases';
import { caseworkEntities } from '#docket/casework';
import { cooperationEntities } from '#docket/cooperation';
import { correspondenceEntities } from '#docket/correspondence';
import { decisionsEntities } from '#docket/decisions';
import { documentsEntities } from '#docket/documents';
import { deadlinesEntities } from '#docket/deadlines';
import { identityEntities } from '#docket/identity';
import { inboundEntities } from '#docket/inbound';
import { mailingEntities } from '#docket/mailing';
import { registryEntities } from '#docket/registry';
import { reportingEntities } from '#docket/reporting';
import { migrations } from '../../../migrations/index.js';

export { foreignKeysOfMigrations } from './foreign-keys.js';

/** Every entity and migration of Docket, listed explicitly (no globs: bundles and ESM break them). */
export const docketSchema: SchemaParts = {
  entities: [
    ...identityEntities,
    ...auditEntities,
    ...registryEntities,
    ...casesEntities,
    ...mailingEntities,
    ...deadlinesEntities,
    ...correspondenceEntities,
    ...decisionsEntities,
    ...documentsEntities,
    ...inboundEntities,
    ...reportingEntities,
    ...campaignsEntities,
    ...cooperationEntities,
    ...caseworkEntities,
  ],
  migrations,
  appendOnlyTables: [...auditAppendOnlyTables],
};

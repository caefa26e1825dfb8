import type { EntityManager } from 'typeorm';
import { Case, type CaseRecord } from './case.entity.js';

/**
 * The case with this reference in any authority, or null: a reply by e-mail whose subject names it arrives before
 * anything says whose it is (inbound's matching).
 */
export function caseOfReference(
  manager: EntityManager,
  reference: string,
): Promise<Pick<CaseRecord, 'id' | 'authorityId'> | null> {
  return manager.findOne(Case, { select: { id: true, authorityId: true }, where: { reference } });
}

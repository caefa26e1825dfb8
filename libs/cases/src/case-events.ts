import type { Case } from './case.entity.js';

/**
 * Told on the event bus in the transaction that closes a case, after its status and audit entry are written (the
 * deadlines context stops the case's clocks there).
 */
export class CaseClosed {
  constructor(
    readonly caseId: string,
    readonly reason: string,
  ) {}
}

/**
 * Told on the event bus in the transaction that gave a case a new assignee other than the person who assigned it
 * (correspondence tells the new assignee). `kase` is the case as saved, with its parties loaded.
 */
export class CaseAssigned {
  constructor(readonly kase: Case) {}
}

import { allowedMoves } from './case-status.js';
import type { CaseNote } from './case-note.entity.js';
import type { Case } from './case.entity.js';
import type { CaseSummaryView, CaseView, NoteView } from './dto.js';

/** A case with the names the views show of its organisation and assignee (read through their contexts). */
export type CaseWithNames = Case & {
  organisation: { id: string; legalName: string };
  assignee: { id: string; name: string } | null;
};

export function caseSummaryView(c: CaseWithNames): CaseSummaryView {
  return {
    id: c.id,
    reference: c.reference,
    title: c.title,
    status: c.status,
    type: c.type,
    priority: c.priority,
    organisationId: c.organisationId,
    organisation: { id: c.organisation.id, name: c.organisation.legalName },
    assigneeId: c.assigneeId,
    assignee: c.assignee ? { id: c.assignee.id, name: c.assignee.name } : null,
    products: c.products,
    legalBasis: c.legalBasis,
    tags: c.tags,
    riskFlags: c.riskFlags,
    version: c.version,
    sharedForCoordination: c.sharedForCoordination,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    closeReason: c.closeReason,
  };
}

export function noteView(note: CaseNote): NoteView {
  return {
    id: note.id,
    text: note.text,
    authorId: note.authorId,
    author: note.authorLabel,
    createdAt: note.createdAt.toISOString(),
  };
}

export function caseView(c: CaseWithNames, notes: CaseNote[], sections: Record<string, unknown>): CaseView {
  return { ...caseSummaryView(c), notes: notes.map(noteView), allowedActions: allowedMoves(c.status), ...sections };
}

/** What the audit trail keeps of a case: its own fields, no joined names. */
export function caseRecord(c: Case): Record<string, unknown> {
  return {
    reference: c.reference,
    title: c.title,
    status: c.status,
    type: c.type,
    priority: c.priority,
    organisationId: c.organisationId,
    assigneeId: c.assigneeId,
    products: c.products,
    legalBasis: c.legalBasis,
    tags: c.tags,
    riskFlags: c.riskFlags,
  };
}

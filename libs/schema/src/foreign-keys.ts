import type { ForeignKeyOfMigrations } from '#docket/platform';

/**
 * The foreign keys from one context's table to another context's, owned by the migrations: the entity keeps only
 * the id (a plain column, no TypeORM relation, so that no context imports another's entity), and the database keeps
 * the reference. The schema check (`pendingSchemaChanges`) leaves out the drop of these constraints, and only these;
 * the migrations spec checks that each is in the migrated database as described here.
 */
const OWNED_BY_MIGRATIONS = 'owned by the migrations, the entity keeps only the id';

export const foreignKeysOfMigrations: readonly ForeignKeyOfMigrations[] = [
  // deadlines
  {
    name: 'FK_e14a72431c2b5de785e6f2ea23f',
    table: 'deadlines',
    column: 'case_id',
    references: 'cases',
    why: `a deadline belongs to its case; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_d936f47dac19e2f36c532689e89',
    table: 'authority_closures',
    column: 'authority_id',
    references: 'authorities',
    why: `a closure day is its authority's (deleted with it); ${OWNED_BY_MIGRATIONS}`,
  },
  // documents
  {
    name: 'FK_c0d8cf6556f04f8b25857192c0f',
    table: 'documents',
    column: 'authority_id',
    references: 'authorities',
    why: `a document is its authority's; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_a415239138695edf2df57a37737',
    table: 'documents',
    column: 'case_id',
    references: 'cases',
    why: `a document is filed in its case; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_5b0c5673bc294cad42e8c452f71',
    table: 'letterheads',
    column: 'authority_id',
    references: 'authorities',
    why: `a letterhead is its authority's; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_c2241765c3096ba2dc7a426683a',
    table: 'document_seals',
    column: 'authority_id',
    references: 'authorities',
    why: `a seal is its authority's; ${OWNED_BY_MIGRATIONS}`,
  },
  // correspondence
  {
    name: 'FK_a18615dfb41487a97c04a5cacaa',
    table: 'inquiries',
    column: 'case_id',
    references: 'cases',
    why: `an inquiry is a letter of its case; ${OWNED_BY_MIGRATIONS}`,
  },
  // decisions
  {
    name: 'FK_eef32ca07f0159c887b9cdcdd0d',
    table: 'responses',
    column: 'authority_id',
    references: 'authorities',
    why: `a response is its authority's; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_b1fc4f1361362713f936e6adf43',
    table: 'responses',
    column: 'case_id',
    references: 'cases',
    why: `a response is filed in its case; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_45c133e41d2d954e5764e146738',
    table: 'responses',
    column: 'inquiry_id',
    references: 'inquiries',
    why: `a response answers an inquiry; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_05bc6047afae41a012659747e58',
    table: 'responses',
    column: 'deadline_id',
    references: 'deadlines',
    why: `a response settles a deadline; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_2ecf0bc117c5bfeac567475c871',
    table: 'attachments',
    column: 'case_id',
    references: 'cases',
    why: `an attachment is filed in its case; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_bb6aa7363e7520ab4e9f71bfd32',
    table: 'outcomes',
    column: 'authority_id',
    references: 'authorities',
    why: `an outcome is its authority's; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_d681a813c54c39f1d425cd0da41',
    table: 'outcomes',
    column: 'case_id',
    references: 'cases',
    why: `an outcome decides its case; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_e2bd277757075882fb4797db8fe',
    table: 'outcome_deadlines',
    column: 'deadline_id',
    references: 'deadlines',
    why: `an outcome started this deadline; ${OWNED_BY_MIGRATIONS}`,
  },
  // cases
  {
    name: 'FK_828c68d7049f1b5c1ec336435d4',
    table: 'cases',
    column: 'authority_id',
    references: 'authorities',
    why: `a case is its authority's; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_7637dde4a13e5c3c858309f2bef',
    table: 'cases',
    column: 'organisation_id',
    references: 'organisations',
    why: `a case is against its organisation; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_1e03d7426e634bc22f7241ebfba',
    table: 'cases',
    column: 'assignee_id',
    references: 'users',
    why: `a case's assignee is a user; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_4de186001f032ae870ac14420be',
    table: 'case_notes',
    column: 'authority_id',
    references: 'authorities',
    why: `a note is its authority's; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_5ac19cdf475f4f38f53523ab2fd',
    table: 'case_notes',
    column: 'author_id',
    references: 'users',
    why: `a note's author is a user; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_75bca1db76d9d17050fd4de3db7',
    table: 'case_reference_counters',
    column: 'authority_id',
    references: 'authorities',
    why: `an authority's counter of case numbers; ${OWNED_BY_MIGRATIONS}`,
  },
  // cooperation
  {
    name: 'FK_e5de1ed922ff7359c987a0479cb',
    table: 'procedures',
    column: 'organisation_id',
    references: 'organisations',
    why: `a procedure concerns an organisation; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_e6cddb38a748dcecd3f0c2d469a',
    table: 'procedures',
    column: 'initiating_authority_id',
    references: 'authorities',
    why: `the authority that opened a procedure; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_3144dac1bae4fc095cc0a95ab1b',
    table: 'procedure_participants',
    column: 'authority_id',
    references: 'authorities',
    why: `a participant is an authority; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_7e306744f263a2c932cb9e0d73d',
    table: 'procedure_participants',
    column: 'case_id',
    references: 'cases',
    why: `a participant's own case on the matter; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_23007b0efe8f64582b4e9bdcdc6',
    table: 'procedure_documents',
    column: 'document_id',
    references: 'documents',
    why: `a document shared into a procedure; ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_588ede390561d41027c62aef1b9',
    table: 'case_answer_sharing',
    column: 'case_id',
    references: 'cases',
    why: `a case's answers shared for comparison (deleted with it); ${OWNED_BY_MIGRATIONS}`,
  },
  {
    name: 'FK_4b01f4f57756e921e059d1a99cc',
    table: 'service_attempts',
    column: 'case_id',
    references: 'cases',
    why: `a service attempt of a case's letter; ${OWNED_BY_MIGRATIONS}`,
  },
];

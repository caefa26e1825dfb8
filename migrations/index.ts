import { Initial1764000000000 } from './1764000000000-initial.js';
import { Cases1764000001000 } from './1764000001000-cases.js';
import { DeadlinesCorrespondence1764000002000 } from './1764000002000-deadlines-correspondence.js';
import { Decisions1764000003000 } from './1764000003000-decisions.js';
import { Inbound1764000005000 } from './1764000005000-inbound.js';
import { Campaigns1764000006000 } from './1764000006000-campaigns.js';
import { CampaignReconciliation1764000008000 } from './1764000008000-campaign-reconciliation.js';
import { UserLifecycle1764000016100 } from './1764000016100-user-lifecycle.js';
import { ReplyPending1764000016700 } from './1764000016700-reply-pending.js';
import { OrganisationAddressBooks1764000016800 } from './1764000016800-organisation-address-books.js';
import { LoginThrottles1764000016900 } from './1764000016900-login-throttles.js';
import { AuditKey1764000017000 } from './1764000017000-audit-key.js';
import { DeadlineLabels1764000017500 } from './1764000017500-deadline-labels.js';
import { Search1764000018400 } from './1764000018400-search.js';
import { Documents1764000018300 } from './1764000018300-documents.js';
import { UserLanguage1764000018500 } from './1764000018500-user-language.js';
import { LegalTime1764000018700 } from './1764000018700-legal-time.js';
import { OutcomeDocuments1764000018310 } from './1764000018310-outcome-documents.js';
import { Cooperation1764000018900 } from './1764000018900-cooperation.js';
import { ServiceAttempts1764000018910 } from './1764000018910-service-attempts.js';
import { AttachmentScans1764000018920 } from './1764000018920-attachment-scans.js';
import { AuthorityQuestions1764000018600 } from './1764000018600-authority-questions.js';
import { ProcedureDocuments1764000018930 } from './1764000018930-procedure-documents.js';
import { SecondFactorSso1764000018100 } from './1764000018100-second-factor-sso.js';
import { SsoRolesProvisioning1764000020700 } from './1764000020700-sso-roles-provisioning.js';
import { TokenSignIn1764000030500 } from './1764000030500-token-sign-in.js';
import { CaseNextDue1764000031100 } from './1764000031100-case-next-due.js';
import { SearchAtScale1764000031110 } from './1764000031110-search-at-scale.js';
import { SearchTrigramsUnspaced1764000031650 } from './1764000031650-search-trigrams-unspaced.js';
import { SearchNewCasesByStatement1764000031700 } from './1764000031700-search-new-cases-by-statement.js';
import { CampaignTargetErrorMessages1764000031400 } from './1764000031400-campaign-target-error-messages.js';
import { ReportingCounters1764000031500 } from './1764000031500-reporting-counters.js';
import { DashboardTotals1764000031750 } from './1764000031750-dashboard-totals.js';
import { DropCoveredCaseIndexes1764000031800 } from './1764000031800-drop-covered-case-indexes.js';
import { MailRetries1764000018800 } from './1764000018800-mail-retries.js';
import { DocumentSeals1764000020400 } from './1764000020400-document-seals.js';
import { JointDeadlines1764000020200 } from './1764000020200-joint-deadlines.js';
import { Casework1764000020600 } from './1764000020600-casework.js';
import { ListIndexes1764000020500 } from './1764000020500-list-indexes.js';
import { PendingDueCounters1764000020800 } from './1764000020800-pending-due-counters.js';
import { CooperationHolidayData1764000030300 } from './1764000030300-cooperation-holiday-data.js';
import { OutgoingAttachments1764000030400 } from './1764000030400-outgoing-attachments.js';
import { AuditAppendAtCommit1764000031300 } from './1764000031300-audit-append-at-commit.js';

/** Applied in this order; add new migrations at the end. */
export const migrations = [
  Initial1764000000000,
  Cases1764000001000,
  DeadlinesCorrespondence1764000002000,
  Decisions1764000003000,
  Inbound1764000005000,
  Campaigns1764000006000,
  CampaignReconciliation1764000008000,
  UserLifecycle1764000016100,
  ReplyPending1764000016700,
  OrganisationAddressBooks1764000016800,
  LoginThrottles1764000016900,
  AuditKey1764000017000,
  DeadlineLabels1764000017500,
  Search1764000018400,
  UserLanguage1764000018500,
  Cooperation1764000018900,
  ServiceAttempts1764000018910,
  Documents1764000018300,
  LegalTime1764000018700,
  AttachmentScans1764000018920,
  AuthorityQuestions1764000018600,
  OutcomeDocuments1764000018310,
  ProcedureDocuments1764000018930,
  SecondFactorSso1764000018100,
  MailRetries1764000018800,
  DocumentSeals1764000020400,
  SsoRolesProvisioning1764000020700,
  JointDeadlines1764000020200,
  Casework1764000020600,
  ListIndexes1764000020500,
  PendingDueCounters1764000020800,
  CooperationHolidayData1764000030300,
  OutgoingAttachments1764000030400,
  TokenSignIn1764000030500,
  CaseNextDue1764000031100,
  SearchAtScale1764000031110,
  AuditAppendAtCommit1764000031300,
  CampaignTargetErrorMessages1764000031400,
  ReportingCounters1764000031500,
  SearchTrigramsUnspaced1764000031650,
  SearchNewCasesByStatement1764000031700,
  DashboardTotals1764000031750,
  DropCoveredCaseIndexes1764000031800,
];

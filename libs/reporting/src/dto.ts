import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { CASE_STATUSES, type CaseStatus } from '#docket/cases';
import { DeadlineListQuery } from '#docket/deadlines';

/** The filters of GET /api/v1/deadlines, without paging: the export has every matching deadline. */
export class DeadlineExportQuery extends OmitType(DeadlineListQuery, ['limit', 'cursor'] as const) {}

export class CoordinationQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId!: string;
}

// ---- dashboard ----

class CaseCounts {
  @ApiProperty({ description: 'Cases in every status but closed' }) open!: number;
  @ApiProperty() total!: number;
  @ApiProperty({
    description: 'Cases per status',
    example: Object.fromEntries(CASE_STATUSES.map((status) => [status, 0])),
  })
  byStatus!: Record<CaseStatus, number>;
}

class DeadlineCounts {
  @ApiProperty({ description: 'missed + pendingPastDue' }) overdue!: number;
  @ApiProperty({ description: 'Missed and not met, waived or extended since' }) missed!: number;
  @ApiProperty({
    description: 'Pending with the due instant passed, not yet marked missed by the sweep (runs every 30 s)',
  })
  pendingPastDue!: number;
  @ApiProperty({ description: 'Pending, due after now and within 7 × 24 h' }) dueIn7Days!: number;
  @ApiProperty({ description: 'Pending, due after now and within 30 × 24 h (includes dueIn7Days)' })
  dueIn30Days!: number;
}

class AssigneeLineView {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null: cases nobody is assigned to' })
  assigneeId!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() openCases!: number;
  @ApiProperty({ description: 'Missed or pending past due, of the cases assigned to them' }) overdueDeadlines!: number;
}

class OrganisationLineView {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() openCases!: number;
  @ApiProperty() overdueDeadlines!: number;
}

class ResponseStats {
  @ApiProperty({ description: 'Responses that settled their deadline (later supplements are not counted)' })
  received!: number;
  @ApiProperty() onTime!: number;
  @ApiProperty() late!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'onTime / received, 4 decimals; null when none were received',
  })
  onTimeRate!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "Median of calendar days from the letter to the response, in the authority's time zone",
  })
  medianDaysToRespond!: number | null;
}

class NamedRefView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

class OldestCaseView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: CaseStatus;
  @ApiProperty() openedAt!: string;
  @ApiProperty() ageDays!: number;
  @ApiProperty({ type: NamedRefView, nullable: true }) assignee!: NamedRefView | null;
  @ApiProperty({ type: NamedRefView }) organisation!: NamedRefView;
}

export class DashboardView {
  @ApiProperty({ description: 'The instant the windows were counted from' }) asOf!: string;
  @ApiProperty({ type: CaseCounts }) cases!: CaseCounts;
  @ApiProperty({ type: DeadlineCounts }) deadlines!: DeadlineCounts;
  @ApiProperty({ type: [AssigneeLineView], description: 'Everyone with open cases or deadlines, most overdue first' })
  byAssignee!: AssigneeLineView[];
  @ApiProperty({ type: [OrganisationLineView], description: 'The 20 organisations with the most open cases' })
  byOrganisation!: OrganisationLineView[];
  @ApiProperty({ type: ResponseStats }) responses!: ResponseStats;
  @ApiProperty({ type: [OldestCaseView], description: 'The 10 longest-open cases' }) oldestOpenCases!: OldestCaseView[];
}

// ---- calendar feed ----

export class IcalTokenView {
  @ApiProperty({
    example: 'https://docket.example/ical/<token>.ics',
    description: 'Private address of your deadline calendar; anyone with it can read the feed',
  })
  url!: string;
  @ApiProperty() token!: string;
}

export class RevokedView {
  @ApiProperty({ description: 'How many feed addresses stopped working' }) revoked!: number;
}

// ---- coordination ----

export class CoordinationOrganisationView {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() country!: string;
  @ApiProperty() sharedCases!: number;
  @ApiProperty({ type: [String], example: ['GPDP', 'PIPC'] }) authorities!: string[];
}

class AuthorityRefView {
  @ApiProperty({ example: 'PIPC' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() country!: string;
}

class OutcomeRefView {
  @ApiProperty({ example: 'recommendation' }) type!: string;
  @ApiProperty() decidedAt!: string;
}

export class CoordinationCaseView {
  @ApiProperty({ type: AuthorityRefView }) authority!: AuthorityRefView;
  @ApiProperty({ description: "The caller's own authority's case" }) ownCase!: boolean;
  @ApiProperty({ example: 'PIPC-2025-0001' }) reference!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "Earliest pending or suspended deadline, in the owner's calendar",
  })
  nextDueDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextDueAt!: string | null;
  @ApiPropertyOptional({ type: OutcomeRefView, nullable: true }) latestOutcome!: OutcomeRefView | null;
}

class OrganisationRefView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() country!: string;
}

export class CoordinationView {
  @ApiProperty({ type: OrganisationRefView }) organisation!: OrganisationRefView;
  @ApiProperty({ type: [String] }) authorities!: string[];
  @ApiProperty({ type: [CoordinationCaseView] }) cases!: CoordinationCaseView[];
}

export class SharingView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() reference!: string;
  @ApiProperty() sharedForCoordination!: boolean;
  @ApiProperty() version!: number;
}

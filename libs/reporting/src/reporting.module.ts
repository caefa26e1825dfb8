import { Module } from '@nestjs/common';
import { DeadlinesModule } from '#docket/deadlines';
import { IdentityModule } from '#docket/identity';
import { AuditModule } from '#docket/audit';
import { BullModule } from '@nestjs/bullmq';
import { CasesModule } from '#docket/cases';
import { QueueName } from '#docket/platform';
import { CoordinationService } from './coordination.service.js';
import { CountersProcessor } from './counters.processor.js';
import { CountersService } from './counters.service.js';
import { DashboardCounter } from './dashboard-counter.entity.js';
import { DashboardTotal } from './dashboard-total.entity.js';
import { DashboardService } from './dashboard.service.js';
import { ExportsService } from './exports.service.js';
import { ReportingCaseFile } from './reporting.case-file.js';
import { ReportingRepository } from './reporting.repository.js';
import { WorklistService } from './worklist.service.js';
import { CalendarFeedController, CoordinationController, DashboardController } from './reporting.controllers.js';

export const reportingEntities = [DashboardCounter, DashboardTotal];

/** The managers' dashboard, CSV and calendar exports, and the cross-authority coordination view. */
@Module({
  imports: [
    AuditModule,
    IdentityModule,
    DeadlinesModule,
    BullModule.registerQueue({ name: QueueName.Reporting }),
    CasesModule,
  ],
  controllers: [DashboardController, CalendarFeedController, CoordinationController],
  providers: [
    DashboardService,
    CountersService,
    CountersProcessor,
    ExportsService,
    CoordinationService,
    WorklistService,
    ReportingRepository,
    ReportingCaseFile,
  ],
  exports: [DashboardService, CountersService, CoordinationService, ExportsService, WorklistService],
})
export class ReportingModule {}

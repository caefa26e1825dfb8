import { Module, type OnModuleInit } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { CaseFileRegistry, CasesModule } from '#docket/cases';
import { QueueName } from '#docket/platform';
import { CoordinationService } from './coordination.service.js';
import { CountersProcessor } from './counters.processor.js';
import { CountersService } from './counters.service.js';
import { DashboardCounter } from './dashboard-counter.entity.js';
import { DashboardService } from './dashboard.service.js';
import { ExportsService } from './exports.service.js';
import { ReportingRepository } from './reporting.repository.js';
import { WorklistService } from './worklist.service.js';
import { CalendarFeedController, CoordinationController, DashboardController } from './reporting.controllers.js';

export const reportingEntities = [DashboardCounter];

/** The managers' dashboard, CSV and calendar exports, and the cross-authority coordination view. */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Reporting }), CasesModule],
  controllers: [DashboardController, CalendarFeedController, CoordinationController],
  providers: [
    DashboardService,
    CountersService,
    CountersProcessor,
    ExportsService,
    CoordinationService,
    WorklistService,
    ReportingRepository,
  ],
  exports: [DashboardService, CountersService, CoordinationService, ExportsService, WorklistService],
})
export class ReportingModule implements OnModuleInit {
  constructor(private readonly files: CaseFileRegistry) {}

  onModuleInit(): void {
    this.files.describe(
      'case.shared',
      () => "Shared with other authorities' coordination view",
      () => ({ key: 'timeline.caseShared' }),
    );
    this.files.describe(
      'case.unshared',
      () => 'No longer shared with other authorities',
      () => ({ key: 'timeline.caseUnshared' }),
    );
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { CampaignsModule } from '#docket/campaigns';
import { CasesModule } from '#docket/cases';
import { CaseworkModule } from '#docket/casework';
import { CooperationModule } from '#docket/cooperation';
import { CorrespondenceModule } from '#docket/correspondence';
import { DecisionsModule } from '#docket/decisions';
import { DocumentsModule } from '#docket/documents';
import { DeadlinesModule } from '#docket/deadlines';
import { IdentityModule } from '#docket/identity';
import { InboundModule } from '#docket/inbound';
import { MailingModule } from '#docket/mailing';
import { PlatformModule, type Runtime } from '#docket/platform';
import { RegistryModule } from '#docket/registry';
import { ReportingModule } from '#docket/reporting';
import { SearchModule } from '#docket/search';
import { WebModule } from '#docket/web';

@Module({})
export class AppModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(runtime),
        AuditModule,
        IdentityModule,
        RegistryModule,
        CasesModule,
        MailingModule,
        DeadlinesModule,
        DocumentsModule,
        CorrespondenceModule,
        DecisionsModule,
        InboundModule,
        CampaignsModule,
        CooperationModule,
        ReportingModule,
        SearchModule,
        CaseworkModule,
        WebModule,
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { CasesModule } from '#docket/cases';
import { IdentityModule } from '#docket/identity';
import { PlatformModule, type Runtime } from '#docket/platform';
import { RegistryModule } from '#docket/registry';

@Module({})
export class AppModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(runtime), AuditModule, IdentityModule, RegistryModule, CasesModule],
    };
  }
}

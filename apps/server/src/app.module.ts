import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '#docket/audit';
import { IdentityModule } from '#docket/identity';
import { PlatformModule, type Runtime } from '#docket/platform';

@Module({})
export class AppModule {
  static forRuntime(runtime: Runtime): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(runtime), AuditModule, IdentityModule],
    };
  }
}

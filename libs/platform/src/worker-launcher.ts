import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkerHost } from '@nestjs/bullmq';
import { RUNTIME, type Runtime } from './runtime.js';

/** Starts every queue processor when this process has the worker role. */
@Injectable()
export class WorkerLauncher implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkerLauncher.name);

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.runtime.config.DOCKET_ROLES.includes('worker')) return;
    const hosts = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
    for (const host of hosts) {
      void host.worker.run().catch((error: unknown) => this.logger.error(`worker ${host.worker.name} stopped: ${String(error)}`));
    }
    this.logger.log(`started ${hosts.length} queue workers: ${hosts.map((host) => host.worker.name).join(', ')}`);
  }
}

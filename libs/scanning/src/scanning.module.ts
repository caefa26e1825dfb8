import { Module } from '@nestjs/common';
import { MailingModule } from '#docket/mailing';
import { IdentityModule } from '#docket/identity';
import { MalwareScanner } from './malware-scanner.js';
import { QuarantineNotice } from './quarantine-notice.js';

/** Malware scanning of every file that enters, and telling staff when one is quarantined. */
@Module({
  imports: [IdentityModule, MailingModule],
  providers: [MalwareScanner, QuarantineNotice],
  exports: [MalwareScanner, QuarantineNotice],
})
export class ScanningModule {}

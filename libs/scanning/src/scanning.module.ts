import { Module } from '@nestjs/common';
import { MalwareScanner } from './malware-scanner.js';
import { QuarantineNotice } from './quarantine-notice.js';

/** Malware scanning of every file that enters, and telling staff when one is quarantined. */
@Module({ providers: [MalwareScanner, QuarantineNotice], exports: [MalwareScanner, QuarantineNotice] })
export class ScanningModule {}

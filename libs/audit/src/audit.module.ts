import { Module } from '@nestjs/common';
import { AuditEvent } from './audit-event.entity.js';
import { AuditHead } from './audit-head.entity.js';
import { AuditService } from './audit.service.js';
import { AuditController } from './audit.controller.js';

export const auditEntities = [AuditEvent, AuditHead];

/** The audit trail is appended to, never changed: the application's role may not update, delete or truncate it. */
export const auditAppendOnlyTables = ['audit_events'];

@Module({ providers: [AuditService], controllers: [AuditController], exports: [AuditService] })
export class AuditModule {}

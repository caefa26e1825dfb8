export * from './delivery-policy.js';
export * from './mail-admin.controller.js';
export * from './mail-delivery.js';
export * from './mailing.module.js';
export * from './mailing.service.js';
export * from './message-events.js';
export * from './outbound-message.entity.js';
export * from './outbound-message.repository.js';

export * from './mailing.module.js';
export * from './mailing.service.js';
export * from './outbound-message.entity.js';

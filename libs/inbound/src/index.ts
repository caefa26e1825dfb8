export * from './classify.js';
export * from './dto.js';
export * from './inbound-message.entity.js';
export * from './inbound.module.js';
export * from './inbound.service.js';
export * from './mailbox-poller.js';
export * from './smtp-listener.js';
export * from './views.js';

export * from './audit-event.entity.js';
export * from './audit-head.entity.js';
export * from './audit.service.js';
export * from './hash-chain.js';
export * from './checkpoints.js';
export * from './audit.module.js';

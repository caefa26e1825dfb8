export * from './answers-compared.service.js';
export * from './cooperation.module.js';
export * from './dto.js';
export * from './notices.js';
export * from './procedure-rules.js';
export * from './procedure.entities.js';
export * from './procedures.service.js';

export * from './dto.js';
export * from './organisation.entity.js';
export * from './organisation.types.js';
export { organisationView } from './organisation-rules.js';
export * from './organisations.service.js';
export * from './registry.module.js';

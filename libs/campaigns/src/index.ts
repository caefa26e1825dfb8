export * from './campaign.entity.js';
export * from './campaigns.controller.js';
export * from './campaigns.module.js';
export * from './campaigns.service.js';
export * from './dto.js';
export * from './fanout.processor.js';

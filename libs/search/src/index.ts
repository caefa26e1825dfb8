export * from './dto.js';
export * from './search-rules.js';
export * from './search.module.js';
export * from './search.service.js';
export { extractFileText } from './text-extract.js';

export * from './languages.js';
export * from './catalogue.js';
export * from './context.js';

export * from './templating/index.js';

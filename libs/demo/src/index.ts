export * from './demo-clock.js';
export * from './demo-data.js';
export * from './demo-loader.js';
export * from './seed.js';

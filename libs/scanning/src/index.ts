export * from './malware-scanner.js';
export * from './scan-verdict.js';
export * from './scanning.module.js';
export * from './quarantine-notice.js';

// Jest runs the TypeScript sources as ES modules (NestJS 12 ships ESM only):
// @swc/jest compiles each file, Node's --experimental-vm-modules loads it.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: {
    '^#docket/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: [
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/apps/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
    '<rootDir>/test/*.spec.ts',
  ],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120000,
  // Both cores: every test file has its own database, queue prefix (its database's name), data folder and free
  // ports, so files run side by side; no test may touch what another file owns (no FLUSHALL, no fixed port).
  maxWorkers: 2,
  // Under --experimental-vm-modules a worker keeps every test file's module graph: its heap grows by 10-30 MB a file
  // (measured with --logHeapUsage) until garbage collection takes most of its time. A worker past this after a file
  // is replaced by a fresh one.
  workerIdleMemoryLimit: '800MB',
};

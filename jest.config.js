// One Jest for the whole repository. TypeScript goes through SWC (type checking is `npm run typecheck`).
// Projects: unit (no I/O), integration (real Redis/MongoDB, services in-process or as processes),
// e2e (the running stack through its public surface), browser (Chromium), chaos (fault injection).
const transform = {
  '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/frontend/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/**/*.int.test.ts'], testTimeout: 60_000 },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'], testTimeout: 120_000 },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/frontend/test/**/*.e2e.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      testTimeout: 180_000,
    },
    { ...common, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.chaos.test.ts'], testTimeout: 600_000 },
  ],
};

// Shared jest setup for every project: swc transpiles TypeScript (with the decorator metadata
// NestJS needs) far faster than ts-jest on a 2-core machine; `tsc` in each project's lint target
// does the type checking. Workspace imports resolve to sources, so tests never need a build.
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

module.exports = function preset(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          // Keep `import()` native so ESM-only packages (aedes 1.x) load through Node.
          module: { type: 'commonjs', ignoreDynamic: true },
        },
      ],
    },
    moduleNameMapper: {
      '^@printfleet/broker$': path.join(root, 'broker/src/index.ts'),
      '^@printfleet/(gateway|job-service|printer-agent)$': path.join(root, 'services/$1/src/index.ts'),
      '^@printfleet/([a-z0-9-]+)$': path.join(root, 'libs/$1/src/index.ts'),
    },
    testTimeout: 30000,
    // Integration suites hold native handles (serialport bindings, socat children, sqlite3,
    // Chromium) that close asynchronously after the last test; a straggler must never hang CI.
    // Each suite still closes what it opened in afterAll; this only ends the worker afterwards.
    forceExit: true,
    ...overrides,
  };
};

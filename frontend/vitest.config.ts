import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    // The browser end-to-end test drives a real stack and runs under the root Jest.
    exclude: ['test/**/*.e2e.test.ts', '**/node_modules/**'],
    setupFiles: ['test/setup.ts'],
    // Room for the 5 s the async queries may wait (test/setup.ts) plus the steps around them.
    testTimeout: 20_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.pulse/**', '.pulse-test/**', 'dashboard/.next/**'],
    // One embedded PostgreSQL for the whole run (unless DATABASE_URL is set); each test file
    // then creates its own database on it, so files stay isolated and can run in parallel.
    globalSetup: ['tests/setup/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

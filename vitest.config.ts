import { defineConfig } from 'vitest/config';

// Integration tests spawn the built CLI and real git; forks keep them isolated.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

// Integration tests spawn the built CLI and real git; forks keep them isolated.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // One folder per run where makeProject keeps the initialised repositories it copies (test/helpers/repo.ts).
    globalSetup: ['test/helpers/global-setup.ts'],
    // Most tests wait on git and CLI subprocesses, not on their own CPU: three files at once on a
    // 2-core machine take the suite from ~285 s to ~160 s (measured, all passing).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // No retries (vitest's default): a test that needs one is a bug; tests wait on what they can observe, never on a sleep.
  },
});

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
    // A guard against a hang, not a speed limit: journeys that run `auto` with real agents take
    // 20-50 s alone and three times that on a machine busy with other work (measured at load 15).
    // Speed is measured by `npm run bench`, never by a test.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // No retries (vitest's default): a test that needs one is a bug; tests wait on what they can observe, never on a sleep.
  },
});

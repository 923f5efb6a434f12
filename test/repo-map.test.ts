/** The planner's view of an existing repository: entry points, tests and recent history, within its budget. */
import { describe, expect, it } from 'vitest';
import { repoMap } from '../src/agents/repo-map.js';
import { git, makeRepo, write } from './helpers/repo.js';

describe('repoMap', () => {
  it('shows the entry points\' first lines, the tests and how they run, and recent commits, within the size asked', () => {
    const dir = makeRepo();
    write(dir, 'package.json', JSON.stringify({ name: 'shop', bin: { shop: 'dist/cli.js' }, scripts: { test: 'vitest run' } }, null, 2));
    write(dir, 'src/cli.ts', '// The shop command line.\nexport function main(argv: string[]) { return argv.length; }\n');
    write(dir, 'src/money.ts', 'export const cents = (n: number) => Math.round(n * 100);\n');
    write(dir, 'test/money.test.ts', 'import { cents } from "../src/money";\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'Add the money helpers']);
    write(dir, 'src/money.ts', 'export const cents = (n: number) => Math.round(n * 100); // half-up\n');
    git(dir, ['commit', '-qam', 'Round half-up in cents()']);

    const map = repoMap(dir);
    // bin points at the build; its source is what a planner needs to read.
    expect(map).toMatch(/## Entry points \(first lines\)\n\n### src\/cli\.ts\n\n```\n\/\/ The shop command line\.\nexport function main/);
    expect(map).toContain('## Tests (1 files): run with `npm test`\n\ntest/money.test.ts');
    expect(map).toMatch(/## Recent history\n\n```\n[0-9a-f]+ \d{4}-\d\d-\d\d Round half-up in cents\(\)\n[0-9a-f]+ \d{4}-\d\d-\d\d Add the money helpers/);

    const small = repoMap(dir, { maxChars: 400 });
    expect(small.length).toBeLessThan(480);
    expect(small).toContain('## Files (5 tracked)');
  });
});

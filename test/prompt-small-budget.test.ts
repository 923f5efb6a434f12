/**
 * `baton prompt` at small budgets: the task itself (requirements, success
 * criteria), its checks and the report format are never cut before memory;
 * long entries are condensed to their first sentence and the names and numbers
 * they carry before they are left out; plan prose the task does not touch goes
 * before what the tasks further up the graph produced; below the smallest
 * useful prompt, it refuses with exit 2 and names the smallest budget that works.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, snapshotFiles, write } from './helpers/repo.js';

const mem = (id: string, entries: string[]) => `# Memory: ${id}\n\n${entries.join('\n')}`;
const ramble = (topic: string, n: number) => Array.from({ length: n }, (_, i) =>
  `While working on ${topic} we weighed approach ${i + 1} against what the neighbouring modules already do and wrote the trade-offs down for whoever comes next.`).join(' ');

describe('baton prompt at small budgets', () => {
  let dir = '';
  let c = '';
  // Budgets are set from the smallest useful prompt (about 470 tokens): task ids are random, and their token counts vary by a few.
  let floor = 0;
  beforeAll(() => {
    dir = makeProject();
    const a = addTask(dir, 'Packet decoder', '--file', 'src/decode.ts');
    const b = addTask(dir, 'Unit conversion', '-d', a, '--file', 'src/units.ts');
    c = addTask(dir, 'Hourly rollups', '-d', b, '--file', 'src/rollup.ts', '--phase', 'Aggregation',
      '--context', `The operators need hourly figures. ${ramble('the context', 3)}`,
      '--requirement', 'Roll readings up per station and hour in UTC.',
      '--requirement', 'Hours with fewer than forty readings are written as sparse.',
      '--criterion', 'A day of readings gives 24 rows per station.',
      '--check', 'npm test -- rollup');
    write(dir, `.agents/memory/${a}.md`, mem(a, [
      `## 2026-11-02T09:00:00Z result success\nFrames decode into one \`Reading\` per channel. ${ramble('the decoder', 4)}\n`,
    ]));
    write(dir, `.agents/memory/${b}.md`, mem(b, [
      `## 2026-11-03T09:00:00Z result success\nEvery channel is converted to SI units. ${ramble('conversions', 4)} Later stages call \`toSI()\` once per reading.\n`,
      `## 2026-11-03T09:00:01Z decision\nPressures are stored in pascals. ${ramble('pressure', 3)} Batches hold 4817 rows at most.\n`,
      ...[1, 2, 3, 4].map((i) => `## 2026-11-03T09:00:0${i + 1}Z note\n${ramble(`note ${i}`, 3)}\n`),
    ]));
    const plan = git(dir, ['show', 'HEAD:.agents/plan.md'])
      .replace('What this project is for, in a few sentences.', 'Readings reach the dashboard within five minutes.')
      .replace('## Tasks', `## Operations\n\nDeploys happen on weekday mornings. ${ramble('deploys', 6)}\n\nPaging rules live in the runbook. ${ramble('paging', 6)}\n\n## Tasks`);
    write(dir, '.agents/plan.md', plan);
    ok(dir, ['task', 'set', a, '--status', 'done']);
    ok(dir, ['task', 'set', b, '--status', 'done']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'Two tasks done']);
    floor = Number(/Pass `--budget (\d+)` or more/.exec(baton(dir, ['prompt', c, '--budget', '50']).stderr)?.[1]);
    expect(floor).toBeGreaterThan(400);
  });

  it('keeps the task whole and condenses memory before leaving it out', () => {
    const r = JSON.parse(ok(dir, ['prompt', c, '--budget', String(floor + 70), '--json']));
    expect(r.tokens).toBeLessThanOrEqual(floor + 70);
    expect(countTokens(r.text)).toBe(r.tokens);
    expect(r.overBudget).toBe(false);
    // The task's own requirements, criteria and checks, whole; the report format; what was left out said as such.
    expect(r.text).toContain('- Roll readings up per station and hour in UTC.');
    expect(r.text).toContain('- Hours with fewer than forty readings are written as sparse.');
    expect(r.text).toContain('A day of readings gives 24 rows per station.');
    expect(r.text).toContain('npm test -- rollup');
    expect(r.text).toMatch(/## Outcome\nsuccess \| partial \| failure/);
    expect(r.text).not.toContain('Result: none recorded.');

    const mid = ok(dir, ['prompt', c, '--budget', String(floor + 170)]);
    expect(countTokens(mid)).toBeLessThanOrEqual(floor + 170);
    // The direct dependency's long result and decision, condensed: the first sentence and the names further in.
    expect(mid).toMatch(/Result \(success\): Every channel is converted to SI units\. \[…: `toSI\(\)`\]/);
    expect(mid).toMatch(/decision: Pressures are stored in pascals\. \[…: 4817 rows\]/);
    expect(mid).toContain('Frames decode into one `Reading` per channel.');
    expect(mid).toBe(ok(dir, ['prompt', c, '--budget', String(floor + 170)]));
  });

  it('at every budget, gives up plan prose the task does not touch before what the tasks further up produced', () => {
    // And a relevant entry is condensed before a less relevant one is left out.
    for (let budget = floor + 20; budget <= floor + 470; budget += 75) {
      const text = ok(dir, ['prompt', c, '--budget', String(budget)]);
      expect(countTokens(text)).toBeLessThanOrEqual(budget);
      expect(text).toContain('- Hours with fewer than forty readings are written as sparse.');
      if (text.includes('Paging rules live in the runbook.')) expect(text).toContain('Frames decode into one `Reading` per channel.');
      if (text.includes('While working on conversions we weighed approach 4')) expect(text).toContain('While working on note 1');
    }
  });

  it('refuses a budget below the smallest useful prompt, says which budget works, and changes nothing', () => {
    const before = snapshotFiles(dir);
    const r = baton(dir, ['prompt', c, '--budget', '50']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const smallest = Number(/Pass `--budget (\d+)` or more/.exec(r.stderr)?.[1]);
    expect(r.stderr).toContain('below the smallest useful prompt');
    expect(smallest).toBeGreaterThan(50);
    expect(snapshotFiles(dir)).toEqual(before);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    // That budget works, with the task still whole.
    const fits = JSON.parse(ok(dir, ['prompt', c, '--budget', String(smallest), '--json']));
    expect(fits.tokens).toBeLessThanOrEqual(smallest);
    expect(fits.text).toContain('- Hours with fewer than forty readings are written as sparse.');
    expect(fits.text).toContain('npm test -- rollup');
    expect(baton(dir, ['prompt', c, '--budget', String(smallest - 1)]).code).toBe(2);
  });
});

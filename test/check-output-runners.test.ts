/**
 * A failed check says why, whatever the runner: real vitest, jest, mocha, uvu,
 * node:test and tap (baton's dev dependencies) run a tiny library with two
 * planted bugs as a task's check, through the built CLI. Their colour is forced
 * on (a runner that ignores NO_COLOR); the stored memory, the retry prompt and
 * the terminal must hold the failing assertion, the error and its frame in the
 * project, and not one escape byte.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, ok, read, tempDir } from './helpers/repo.js';
import { makeAgentProject, report } from './fixtures/agent-project.js';
import { RECURSION_LINE, RUNNERS, writeRunnerProject, type Runner } from './fixtures/runner-project.js';

const ESC = /[\u001b\u009b]/;

/** `npm test`, its raw output also kept outside the repository (to show the runner did write colour). */
function checkCommand(raw: string): string {
  return `npm test >'${raw}' 2>&1; s=$?; cat '${raw}'; exit $s`;
}

function runnerProject(runner: Runner) {
  const p = makeAgentProject();
  writeRunnerProject(p.dir, runner);
  const raw = join(tempDir('baton-raw-'), 'output.txt');
  const id = addTask(p.dir, 'Fix the tree library', '--check', checkCommand(raw));
  git(p.dir, ['add', '-A']);
  git(p.dir, ['commit', '-q', '-m', `Tree library tested with ${runner}`]);
  return { ...p, id, raw };
}

/** What every view must show of the two failures. */
function expectFailureShown(text: string, where: string): void {
  expect(text, where).not.toMatch(ESC);
  expect(text, where).toContain('hello-world');
  expect(text, where).toContain('hello,-world!');
  expect(text, where).toContain('Maximum call stack size exceeded');
  expect(text, where).toContain(`src/index.js:${RECURSION_LINE}`);
}

describe('a failed check tells the next attempt why (real runners, colour forced on)', () => {
  for (const runner of RUNNERS) {
    it(`${runner}: memory and the retry prompt hold the assertion diff and the stack overflow's frame, no escapes`, () => {
      const p = runnerProject(runner);
      p.setScript({ default: { report: report('success', 'Looked at it.') } });

      const r = baton(p.dir, ['run', p.id], { env: p.env });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toContain('FAIL  npm test');
      // The runner did write colour (it ignores NO_COLOR here); none of it was kept.
      expect(readFileSync(p.raw, 'utf8')).toMatch(ESC);
      const wt = /worktree (\S+)\.$/m.exec(r.stdout)![1]!;
      const memory = read(wt, `.agents/memory/${p.id}.md`);
      const check = memory.slice(memory.indexOf(' check fail\n'));
      expectFailureShown(check.slice(0, check.indexOf('\n## ')), `${runner}: the check entry`);
      expect(memory).not.toMatch(ESC);
      // Bounded: the failure, not the runner's pages of passing suites.
      expect(check.slice(0, check.indexOf('\n## ')).length).toBeLessThan(4600);

      const prompt = ok(p.dir, ['prompt', p.id]);
      expectFailureShown(prompt.slice(prompt.indexOf('Failed check')), `${runner}: the retry prompt`);
    });
  }

  it('uvu: the second attempt\'s agent reads the failure; `done --merge` prints it plainly and stores no escapes', () => {
    const p = runnerProject('uvu');
    p.setScript({ default: { report: report('success', 'Looked at it.') } });
    expect(baton(p.dir, ['run', p.id], { env: p.env }).code).toBe(1);
    expect(baton(p.dir, ['run', p.id], { env: p.env }).code).toBe(1);
    const seen = readFileSync(join(p.state, `prompt-${p.id}-2.md`), 'utf8');
    expectFailureShown(seen, 'the prompt the second attempt read');
    // The first attempt's `FAIL slug "drops punctuation"` with uvu's diff, not its passing suites.
    expect(seen).toMatch(/FAIL\s+slug\s+"drops punctuation"/);
    expect(seen).not.toContain('count 17');

    // Blocked by its failed attempts: merged only when forced, and the check refuses it even then.
    // The board's page of the task (static export) shows the failure as plain text.
    const site = tempDir('baton-site-');
    ok(p.dir, ['board', '--out', site]);
    const pages = readdirSync(site).filter((f) => f.endsWith('.html')).map((f) => readFileSync(join(site, f), 'utf8')).join('\n');
    expect(pages).toContain('Maximum call stack size exceeded');
    expect(pages).toContain(`src/index.js:${RECURSION_LINE}`);
    expect(pages).not.toMatch(ESC);

    const done = baton(p.dir, ['done', p.id, '--merge', '--force']);
    expect(done.code, done.stderr).toBe(1);
    expectFailureShown(done.stderr, 'the terminal');
    expect(git(p.dir, ['branch', '--show-current']).trim()).toBe('main');
  });
});

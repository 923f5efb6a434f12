import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/agents/executors/presets.js';
import { binDir, CACHE, costJson, readdirName, runWith } from './agent-clis.js';
import { git, read } from './repo.js';

/** The conformance suite for one real CLI (test/agent-cli-<name>.test.ts call it; one file each, so they run side by side). */
export function conformance(name: string): void {
  const installed = existsSync(binDir(name));
  if (!installed && !process.env.CI) console.warn(`agent-clis: ${name} is not in ${CACHE}; skipping (run \`node scripts/install-agent-clis.mjs\`)`);
  describe.skipIf(!installed && !process.env.CI)(`the real ${name} CLI (${PRESETS[name]!.package}@${PRESETS[name]!.tested[0]})`, () => {
    it('makes a real edit: committed on the task branch, recorded by the hooks, checked, its final text the report, its usage in `baton cost`', () => {
      expect(existsSync(binDir(name)), `${name} is not installed in ${CACHE}: run \`node scripts/install-agent-clis.mjs\``).toBe(true);
      const r = runWith(name);
      expect(r.stderr + r.stdout).toContain(`${r.id}: success`);
      expect(r.code).toBe(0);
      expect(r.requests.length).toBeGreaterThan(0);
      expect(read(r.wt, 'greeting.txt')).toBe('hello\n');
      // The edit is committed on the task branch (the CLI leaves it; baton commits it), and the hooks recorded it.
      expect(git(r.wt, ['log', '--name-only', '--format=', 'main..HEAD'])).toContain('greeting.txt');
      expect(git(r.wt, ['status', '--porcelain'])).toBe('');
      const memory = read(r.wt, `.agents/memory/${r.id}.md`);
      const sha = git(r.wt, ['log', '-1', '--format=%h', '--', 'greeting.txt']).trim();
      expect(memory).toMatch(new RegExp(`^## \\S+ commit ${sha.slice(0, 7)}`, 'm'));
      expect(memory).toMatch(/ check pass\n`grep -q hello greeting.txt` exited 0/);
      // Its final text, not its JSON, is the report.
      expect(memory).toContain(`The agent's report (${name}, claimed success)`);
      expect(memory).toMatch(/ result success\nWrote greeting.txt./);
      expect(memory).not.toContain('"session_id"');
      // copilot's JSON has no tokens: nothing to count (docs/executors.md says so).
      if (name === 'copilot') return;
      // Its tokens are a usage entry on the task, which `baton cost` counts.
      expect(memory).toMatch(new RegExp(`^## \\S+ usage implementer \\S+\\nprompt_tokens: [1-9]\\d*\\ncompletion_tokens: [1-9]\\d*`, 'm'));
      const cost = costJson(r.wt);
      expect(cost.total.promptTokens).toBeGreaterThanOrEqual(2000);
      expect(cost.total.completionTokens).toBeGreaterThanOrEqual(100);
      // claude says what it cost (by its own table); qwen and codex give tokens only, priced from config's
      // table (2000 × $1 + 100 × $5 per million; opencode's title request is not in its JSON); gemini's model has no price anywhere: counted as unpriced.
      if (name === 'claude') expect(cost.total.costUsd).toBeGreaterThan(0);
      if (name === 'qwen' || name === 'codex' || name === 'opencode') expect(cost.total.costUsd).toBeCloseTo((cost.total.promptTokens * 1 + cost.total.completionTokens * 5) / 1e6, 9);
      if (name === 'gemini') expect(cost.total.unpriced).toBe(1);
    });

    // The suite's time budget: opencode spends about 5 s of CPU a run (its start); `auto` is baton's
    // own, walked here with claude, qwen, gemini and codex.
    if (name !== 'opencode' && name !== 'copilot') {
      it('`baton auto --parallel 2`: two tasks, each a real edit in its own worktree, both merged, both paid for', () => {
        const r = runWith(name, {}, { files: ['a.txt', 'b.txt'], args: ['--parallel', '2', '--no-review'] });
        expect(r.stdout).toContain('2 attempts: 2 success (2 merged)');
        expect(r.code).toBe(0);
        expect(read(r.dir, 'a.txt')).toBe('hello\n');
        expect(read(r.dir, 'b.txt')).toBe('hello\n');
        expect(git(r.dir, ['status', '--porcelain'])).toBe('');
        const cost = costJson(r.dir) as unknown as { byTask: { key: string; promptTokens: number }[] };
        expect(cost.byTask.filter((t) => t.promptTokens > 0)).toHaveLength(2);
      });
    }

    it('stops on refused credentials (401) with the CLI\'s words and the variable to set, counting no attempt', () => {
      const r = runWith(name, { MODEL_FAIL: '401' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the agent (${name}) could not log in`);
      expect(r.stderr).toMatch(/invalid|401/i);
      // A CLI baton points at the role's endpoint sends the role's key (`api_key_env`, here the default).
      expect(r.stderr).toContain(PRESETS[name]!.home ? 'OPENAI_API_KEY' : PRESETS[name]!.key_env!);
      expect(r.stderr).not.toContain('sk-');
      const wt = join(`${r.dir}-worktrees`, readdirName(`${r.dir}-worktrees`));
      const memory = read(wt, `.agents/memory/${r.id}.md`);
      expect(memory).not.toMatch(/ result /);
      expect(memory).toContain('No attempt counted.');
      expect(git(wt, ['status', '--porcelain'])).toBe('');
    });

    if (name === 'claude' || name === 'codex' || name === 'copilot') {
      it('pauses on a rate or usage limit (429): no attempt counted, exit 3', () => {
        const r = runWith(name, { MODEL_FAIL: '429' });
        expect(r.stdout).toContain(`${r.id}: paused: the agent hit a rate or usage limit`);
        // codex says when its limit resets (from the server's `resets_at`), at once: no retry waits for it.
        if (name === 'codex') expect(r.stdout).toMatch(/try again at \d{1,2}:\d\d/);
        expect(r.code).toBe(3);
        const wt = join(`${r.dir}-worktrees`, readdirName(`${r.dir}-worktrees`));
        const memory = read(wt, `.agents/memory/${r.id}.md`);
        expect(memory).not.toMatch(/ result /);
        expect(memory).toContain('it hit a rate or usage limit');
      });

      // How `auto` pauses is baton's, the same whatever the CLI: walked with one.
      if (name === 'claude') {
        it('`baton auto` pauses the tasks of an executor that hit a limit, counting no attempt, and exits 3', () => {
          const r = runWith(name, { MODEL_FAIL: '429' }, { files: ['a.txt', 'b.txt', 'c.txt'], args: ['--parallel', '2', '--no-review'] });
          expect(r.stdout).toContain('Paused: an agent hit a rate or usage limit (no attempt counted)');
          expect(r.code).toBe(3);
          // Two ran and hit the limit; the third was not started. None has a result, so none counts as an attempt.
          expect((r.stdout.match(/paused: the agent hit a rate or usage limit/g) ?? []).length).toBeGreaterThanOrEqual(2);
          expect(r.requests.length).toBeLessThanOrEqual(4);
          const memories = git(r.dir, ['log', '--all', '-p', '--format=', '--', '.agents/memory']);
          expect(memories).toContain('No attempt counted.');
          expect(memories).not.toMatch(/^\+## \S+ result /m);
          expect(git(r.dir, ['status', '--porcelain'])).toBe('');
        });
      }

      if (name !== 'copilot') {
        it('fails an attempt that exits 0 with no change and no report, saying so', () => {
          const r = runWith(name, { MODEL_NO_TOOL: '1', MODEL_FINAL_TEXT: '' });
          expect(r.code).toBe(1);
          expect(r.stdout).toContain(`${r.id}: failure — the agent (${name}) exited 0 without changing anything or writing a report`);
          expect(read(r.wt, `.agents/memory/${r.id}.md`)).toContain(`result failure\nThe agent (${name}) exited 0 without changing anything`);
        });
      }
    }
  });
}

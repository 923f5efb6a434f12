import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/agents/executors/presets.js';
import { binDir, CACHE, costJson, leftovers, readdirName, requestsIn, runWith, startWith } from './agent-clis.js';
import { baton, git, read } from './repo.js';

/** Seconds before a stalled agent is stopped: short, set the way a user would (`executors.<name>.timeout_s`). */
const HANG_TIMEOUT_S = 3;

/**
 * A limit's reset, each provider's way: Claude's "resets 5pm (UTC)", Gemini's
 * "retry in 7200s" (and its RetryInfo), a quota that "will reset at" a time (qwen
 * gives up at once on that text). `window`: when baton must say the pause ends.
 */
function resetFor(name: string): { message: string; seconds: string; window: (before: number, after: number) => [number, number] } {
  if (name === 'gemini') {
    return { message: 'Quota exceeded for metric: generate_content_requests. Please retry in 7200s.', seconds: '7200', window: (b, a) => [b + 7_200_000, a + 7_201_000] };
  }
  const at = new Date(Date.now() + 2 * 3_600_000);
  if (name === 'claude') {
    at.setUTCMinutes(0, 0, 0); // the next such hour: 1 to 2 hours ahead
    const h = at.getUTCHours();
    return { message: `You've hit your 5-hour limit ∙ resets ${h % 12 || 12}${h < 12 ? 'am' : 'pm'} (UTC)`, seconds: '3600', window: () => [at.getTime(), at.getTime()] };
  }
  at.setUTCMilliseconds(0);
  return { message: `Quota exceeded for this API key; it will reset at ${at.toISOString().replace('.000Z', 'Z')}`, seconds: '3600', window: () => [at.getTime(), at.getTime()] };
}

/** Waits (polling, never a fixed sleep) until `ready`, or fails when the run ended first. */
async function poll(run: { exited: () => boolean; output: () => string }, ready: () => boolean): Promise<void> {
  while (!ready()) {
    if (run.exited()) throw new Error(`the run ended first:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
    // own, walked here with codex (claude, qwen and gemini walk it below, with a limit and an idle agent).
    if (name === 'codex') {
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

    // A limit's pause, walked with claude, qwen and gemini below; here what codex and copilot say.
    if (name === 'codex' || name === 'copilot') {
      it('pauses on a rate or usage limit (429): no attempt counted, exit 3', () => {
        const r = runWith(name, { MODEL_FAIL: '429' });
        expect(r.stdout).toMatch(new RegExp(`${r.id}: paused until \\S+( \\(a backoff: the agent named no time\\))?: the agent \\(${name}\\) hit a rate or usage limit`));
        // codex says when its limit resets (from the server's `resets_at`), at once: no retry waits for it.
        // Its reset is an hour away: a time today ("3:05 PM"), or after 23:00 a date and time ("Dec 7th, 2026 12:11 AM"), read either way.
        if (name === 'codex') expect(r.stdout).toMatch(/try again at ([A-Z][a-z]{2} \d{1,2}\w\w, \d{4} )?\d{1,2}:\d\d/);
        if (name === 'codex') expect(r.stdout).not.toContain('a backoff');
        expect(r.code).toBe(3);
        const wt = join(`${r.dir}-worktrees`, readdirName(`${r.dir}-worktrees`));
        const memory = read(wt, `.agents/memory/${r.id}.md`);
        expect(memory).not.toMatch(/ result /);
        expect(memory).toContain('it hit a rate or usage limit');
      });
      if (name === 'codex') {
        it('fails an attempt that exits 0 with no change and no report, saying so', () => {
          const r = runWith(name, { MODEL_NO_TOOL: '1', MODEL_FINAL_TEXT: '' });
          expect(r.code).toBe(1);
          expect(r.stdout).toContain(`${r.id}: failure — the agent (${name}) exited 0 without changing anything or writing a report`);
          expect(read(r.wt, `.agents/memory/${r.id}.md`)).toContain(`result failure\nThe agent (${name}) exited 0 without changing anything`);
        });
      }
    }

    // Claude, qwen and gemini: a limit naming its reset, an idle agent, a stalled model, SIGTERM.
    if (name === 'claude' || name === 'qwen' || name === 'gemini') {
      it('a 429 naming its reset pauses that executor until then, costing no attempt, while `auto` goes on with another (in parallel, at most one of the limited executor at a time): merged and paid for; an exit 0 with no change fails; `status` and `next` say until when', () => {
        const other = `${name}-b`;
        const preset = PRESETS[name]!;
        const reset = resetFor(name);
        const before = Date.now();
        // The cap two ways: the flag, for every executor (claude); one executor's own `max_concurrent` (the
        // others, whose second executor then runs its two tasks at once).
        const byFlag = name === 'claude';
        // The idle agent says nothing (claude), or only words (qwen and gemini take an empty answer for an error and retry it).
        const idle = name === 'claude' ? '' : 'I found nothing to change.';
        const r = runWith(name, {
          MODEL_FAIL: '429', MODEL_FAIL_FOR: 'a.txt', MODEL_FAIL_MESSAGE: reset.message, MODEL_RETRY_AFTER: reset.seconds, MODEL_NO_TOOL_FOR: 'd.txt', MODEL_NO_TOOL_TEXT: idle,
        }, {
          files: ['a.txt', `b.txt@${other}`, 'c.txt', `d.txt@${other}`],
          args: ['--parallel', '3', '--no-review', '--max-attempts', '1', ...(byFlag ? ['--max-concurrent-per-executor', '1'] : [])],
          config: `executors:\n  ${other}:\n    command: ${JSON.stringify(preset.command)}\n    output: ${preset.output}\n${byFlag ? '' : `  ${name}:\n    max_concurrent: 1\n`}`,
        });
        const [a, b, c, d] = r.ids;
        const until = new RegExp(`^Executor ${name} is paused until (\\S+)\\.$`, 'm').exec(r.stdout)?.[1];
        expect(until, r.stdout + r.stderr).toBeDefined();
        const [lo, hi] = reset.window(before, Date.now());
        expect(Date.parse(until!)).toBeGreaterThanOrEqual(lo);
        expect(Date.parse(until!)).toBeLessThanOrEqual(hi);
        expect(r.code).toBe(3);
        // The limited task: paused until then, no attempt counted; the other of its executor waited, first for the cap, then for the pause.
        expect(r.stdout).toContain(`${a} interrupted Create the file a.txt — paused until ${until}: the agent (${name}) hit a rate or usage limit`);
        expect(r.stdout).toMatch(new RegExp(`${c} waiting +Create the file c\\.txt — 1 ${name} agent at work \\(at most 1 at once\\)`));
        expect(r.stdout).toMatch(new RegExp(`${c} waiting +Create the file c\\.txt — ${name} is paused until ${until}`));
        expect(r.stdout).not.toMatch(new RegExp(`${c} (starting|running)`));
        expect(r.requests.some((q) => q.about === 'a.txt')).toBe(true);
        expect(r.requests.some((q) => q.about === 'c.txt')).toBe(false);
        const memories = git(r.dir, ['log', '--all', '-p', '--format=', '--', `.agents/memory/${a}.md`]);
        expect(memories).toContain('No attempt counted.');
        expect(memories).not.toMatch(/^\+## \S+ result /m);
        // The other executor went on: a real edit merged and paid for, then an exit 0 with no change failed.
        expect(r.stdout).toContain('3 attempts: 1 success (1 merged), 0 partial, 1 failure, 1 interrupted');
        expect(read(r.dir, 'b.txt')).toBe('hello\n');
        // With nothing said it is a failure for that reason; with words only, the checks decide (its words are its report).
        const why = idle ? `1 of 1 check failed: \`grep -q hello d.txt\`` : `the agent (${other}) exited 0 without changing anything or writing a report`;
        expect(r.stdout).toMatch(new RegExp(`${d} failed +Create the file d\\.txt — ${escape(why)}`));
        const cost = costJson(r.dir) as unknown as { byTask: { key: string; promptTokens: number }[] };
        expect(cost.byTask.find((t) => t.key === b)?.promptTokens).toBeGreaterThan(0);
        expect(git(r.dir, ['status', '--porcelain'])).toBe('');
        // Until then `status`, `next` and another `auto` say so, and start nothing.
        const said = `(${name} paused until ${until}: a rate or usage limit)`;
        expect(baton(r.dir, ['status']).stdout).toMatch(new RegExp(`${a} +Create the file a\\.txt +\\[in-progress\\].*${escape(said)}`));
        expect(baton(r.dir, ['next']).stdout).toContain(`Create the file c.txt  ${said}`);
        const again = baton(r.dir, ['auto', '--no-review', '--max-attempts', '1']);
        expect(again.stdout).toContain(`Executor ${name} is paused until ${until}.`);
        expect(again.stdout).not.toMatch(/starting/);
        expect(again.code).toBe(3);
      });

      it('a model that stalls mid-stream: the attempt times out (`timeout_s` in config) and its process group goes; SIGTERM to `auto` stops the other, leaving no process and a clean state', async () => {
        const other = `${name}-b`;
        const preset = PRESETS[name]!;
        const run = startWith(name, { MODEL_HANG: '1' }, {
          files: ['a.txt', `b.txt@${other}`],
          args: ['--parallel', '2', '--no-review', '--max-attempts', '1'],
          config: `executors:\n  ${name}:\n    timeout_s: ${HANG_TIMEOUT_S}\n  ${other}:\n    command: ${JSON.stringify(preset.command)}\n    output: ${preset.output}\n`,
        });
        const [a, b] = run.ids;
        // a's attempt ended by its timeout, while b's agent is stalled on the model.
        await poll(run, () => new RegExp(`${a} failed`).test(run.output()) && requestsIn(run.log).some((q) => q.about === 'b.txt'));
        expect(run.output()).toContain(`${a} failed      Create the file a.txt — the agent did not finish within ${HANG_TIMEOUT_S}s and was stopped`);
        // Nothing of a's agent is left (gemini and qwen relaunch themselves as a child); b's is still there.
        const alive = leftovers(run);
        expect(alive.filter((p) => p.includes(`BATON_TASK=${a}`))).toEqual([]);
        expect(alive.length).toBeGreaterThan(0);
        run.child.kill('SIGTERM');
        const r = await run.done;
        expect(r.code).toBe(143);
        expect(r.stdout).toContain('Stopping (SIGTERM)');
        expect(r.stdout).toMatch(new RegExp(`${b} interrupted`));
        expect(leftovers(r)).toEqual([]);
        // The state is consistent: doctor finds nothing, no checkout is dirty, b's memory says what happened.
        const doctor = baton(r.dir, ['doctor']);
        expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
        expect(git(r.dir, ['status', '--porcelain'])).toBe('');
        for (const wt of readdirSync(`${r.dir}-worktrees`)) expect(git(join(`${r.dir}-worktrees`, wt), ['status', '--porcelain'])).toBe('');
        expect(git(r.dir, ['log', '--all', '-p', '--format=', '--', `.agents/memory/${a}.md`])).toMatch(/result failure\n.*did not finish within/);
      });
    }
  });
}

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, BIN, git, GIT_ENV, read, write } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report } from './fixtures/agent-project.js';

describe('baton auto: trial merges while tasks run', () => {
  it('a conflict between two running branches that no prediction saw reaches both prompts before either finishes', () => {
    const p = makeAgentProject({ hooks: true });
    // Neither task names the file both will create: scheduling cannot see the overlap, only a trial merge can.
    const a = addTask(p.dir, 'Add retries', '--check', 'test -f src/config.ts');
    const b = addTask(p.dir, 'Add timeouts', '--check', 'test -f src/config.ts');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    expect((JSON.parse(baton(p.dir, ['next', '--json']).stdout) as { tasks: { waitsFor?: unknown }[] }).tasks.every((t) => !t.waitsFor)).toBe(true);

    // Each agent commits its own src/config.ts, then keeps working until a trial-merge note shows up in its memory,
    // and asks for its prompt again (as a long-running agent, or its next turn, would see it).
    const attempt = (id: string, line: string) => ({
      match: id,
      attempts: [{
        write: { 'src/config.ts': `export const ${line};\n` },
        commit: `Add ${line}`,
        wait_for: { path: `.agents/memory/${id}.md`, text: 'Trial merge' },
        run: `node ${BIN} prompt ${id}`,
        report: report('success', line),
      }],
    });
    p.setScript({ tasks: [attempt(a, 'retries = 3'), attempt(b, 'timeout = 30')] });
    const r = baton(p.dir, ['auto', '--parallel', '2', '--no-review', '--max-attempts', '1'], { env: p.env });
    expect(r.stdout).toMatch(new RegExp(`trial merge: (${a} conflicts with ${b}|${b} conflicts with ${a}) in src/config.ts; noted in their memory`));

    // Both prompts, taken while both agents were still at work, name the other task and the file.
    const events = agentEvents(p.state);
    const end = (id: string) => events.find((e) => e.task === id && e.event === 'end')!.t;
    expect(events.find((e) => e.task === a && e.event === 'start')!.t).toBeLessThan(end(b));
    expect(events.find((e) => e.task === b && e.event === 'start')!.t).toBeLessThan(end(a));
    for (const [id, other] of [[a, b], [b, a]] as const) {
      const prompt = readFileSync(join(p.state, `run-${id}-1.txt`), 'utf8');
      expect(prompt).toContain(`Trial merge: this branch conflicts with ${other}`);
      expect(prompt).toMatch(/^\s*- src\/config\.ts$/m);
      // Kept in the task's memory: written once, committed with the attempt's log, merged or on its branch.
      // (The one that merges second may also be told, once the first has merged, that it now conflicts with the base.)
      const branch = git(p.dir, ['branch', '--list', `task/${id}-*`, '--format=%(refname:short)']).trim();
      const memory = git(p.dir, ['show', `${branch}:.agents/memory/${id}.md`]);
      expect(memory.split(`Trial merge: this branch conflicts with ${other} `)).toHaveLength(2);
      expect(memory.match(/Trial merge: this branch conflicts with `main`/g)?.length ?? 0).toBeLessThanOrEqual(1);
      // The note (and the prompt the agent asked for) is no agent work: no "left uncommitted by the agent" commit.
      expect(git(p.dir, ['log', '--format=%B', branch])).not.toContain('left uncommitted by the agent');
    }
    // The first one merged; the second, as predicted, did not merge cleanly (the merge queue is what sends it back).
    expect(read(p.dir, 'src/config.ts')).toMatch(/^export const (retries = 3|timeout = 30);\n$/);
    expect(git(p.dir, ['status', '--porcelain'])).toBe('');
  });

  it('a commit on the base that conflicts with a running branch reaches its prompt before it finishes', async () => {
    const p = makeAgentProject();
    const a = addTask(p.dir, 'Add retries', '--check', 'test -f src/config.ts');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    p.setScript({
      tasks: [{
        match: a,
        attempts: [{
          write: { 'src/config.ts': 'export const retries = 3;\n' },
          commit: 'Add retries',
          wait_for: { path: `.agents/memory/${a}.md`, text: 'Trial merge' },
          run: `node ${BIN} prompt ${a}`,
          report: report('success', 'retries'),
        }],
      }],
    });
    const child = spawn(process.execPath, [BIN, 'auto', '--no-review', '--max-attempts', '1'], { cwd: p.dir, env: { ...process.env, ...GIT_ENV, ...p.env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));

    // While the agent works (it has committed and waits), a person commits the same new file on the base.
    while (!agentEvents(p.state).some((e) => e.task === a && e.event === 'waiting')) await new Promise((r) => setTimeout(r, 50));
    write(p.dir, 'src/config.ts', 'export const retries = 5;\n');
    git(p.dir, ['add', 'src/config.ts']);
    git(p.dir, ['commit', '-q', '-m', 'Retries by hand']);
    await exited;

    expect(out).toContain(`trial merge: ${a} conflicts with \`main\` in src/config.ts; noted in their memory`);
    const prompt = readFileSync(join(p.state, `run-${a}-1.txt`), 'utf8');
    expect(prompt).toContain('Trial merge: this branch conflicts with `main` in the files below. Merge `main` into your branch (`git merge main`)');
    expect(prompt).toMatch(/^\s*- src\/config\.ts$/m);
  });
});

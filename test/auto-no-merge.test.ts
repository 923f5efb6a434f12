import { describe, expect, it } from 'vitest';
import { addTask, baton, git, snapshotFiles } from './helpers/repo.js';
import { agentEvents, makeAgentProject, report } from './fixtures/agent-project.js';

describe('baton auto --no-merge, then with merges', () => {
  it('leaves successful branches unmerged (dependents wait), and a later run merges them and goes on', () => {
    const p = makeAgentProject();
    const a = addTask(p.dir, 'Task A', '--check', 'test -f a.txt');
    const b = addTask(p.dir, 'Task B', '-d', a, '--check', 'test -f a.txt && test -f b.txt');
    const c = addTask(p.dir, 'Task C', '--check', 'test -f c.txt');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    const step = (n: string) => ({ match: n === 'a' ? a : n === 'b' ? b : c, attempts: [{ write: { [`${n}.txt`]: `${n}\n` }, commit: `Add ${n}`, report: report('success', `${n} done.`) }] });
    p.setScript({ tasks: [step('a'), step('b'), step('c')] });

    const first = baton(p.dir, ['auto', '--no-merge', '--no-review', '--parallel', '2'], { env: p.env });
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('Nothing more is ready.');
    expect(first.stdout).toMatch(new RegExp(`${a}  Task A  — done on \`task/${a}-task-a\`, not merged \\(--no-merge\\)`));
    expect(first.stdout).toMatch(new RegExp(`${b}  Task B  — waits on ${a}`));
    expect(git(p.dir, ['log', '--merges', '--oneline'])).toBe('');
    expect(git(p.dir, ['show', `task/${a}-task-a:a.txt`])).toBe('a\n');

    const second = baton(p.dir, ['auto', '--no-review'], { env: p.env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`${a} merged +Task A — finished earlier`));
    expect(second.stdout).toMatch(new RegExp(`${c} merged +Task C — finished earlier`));
    expect(second.stdout).toContain('The plan is done.');
    // A and C were not run again; B ran once, on top of A.
    expect(agentEvents(p.state).filter((e) => e.event === 'start').map((e) => e.task).sort()).toEqual([a, b, c].sort());
    expect(git(p.dir, ['log', '--merges', '--format=%s']).trim().split('\n')).toHaveLength(3);
  });

  it('refuses an unknown executor, or a model with no key, before changing anything', () => {
    const p = makeAgentProject();
    const id = addTask(p.dir, 'Task A');
    git(p.dir, ['add', '-A']);
    git(p.dir, ['commit', '-q', '-m', 'plan']);
    const before = snapshotFiles(p.dir);
    for (const args of [['auto', '--executor', 'nope'], ['run', id, '--executor', 'nope']]) {
      const r = baton(p.dir, args, { env: p.env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('unknown executor `nope`');
      expect(r.stderr).toContain('`api`, `claude`, `qwen`, `gemini`, `codex`, `opencode`, `copilot`, `aider`, `scripted`');
    }
    const noKey = baton(p.dir, ['run', id, '--executor', 'api'], { env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('no API key for the `implementer` model: `OPENAI_API_KEY` is not set');
    expect(snapshotFiles(p.dir)).toEqual(before);
    expect(git(p.dir, ['branch', '--list', 'task/*'])).toBe('');
  });
});

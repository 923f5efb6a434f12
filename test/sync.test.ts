import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, read, write } from './helpers/repo.js';

describe('baton sync', () => {
  it('writes the commit the hooks queued into memory, once', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Add a file');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    git(dir, ['checkout', '-q', '-b', `task/${id}-add-a-file`]);
    write(dir, 'a.txt', 'a\n');
    git(dir, ['add', 'a.txt']);
    git(dir, ['commit', '-q', '-m', 'Add a.txt']);
    const sha = git(dir, ['rev-parse', 'HEAD']).trim();
    const memory = () => { try { return read(dir, `.agents/memory/${id}.md`); } catch { return ''; } };
    expect(memory()).not.toContain(sha.slice(0, 12));

    expect(ok(dir, ['sync'])).toBe('1 memory entry written (not committed)\n');
    expect(memory()).toMatch(new RegExp(`## \\S+ commit ${sha.slice(0, 12)}\\nAdd a.txt\\n\\n- a.txt \\+1 -0`));
    expect(ok(dir, ['sync'])).toBe('Memory is up to date with history.\n');
    expect(memory().split(`commit ${sha.slice(0, 12)}`).length - 1).toBe(1);
  });
});

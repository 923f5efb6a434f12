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

describe('a commit on main whose trailer names a task', () => {
  it('goes to that task\'s memory, by baton sync (Node) and by the next commit (sh) alike', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Fix on main');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const commit = (file: string) => {
      write(dir, file, `${file}\n`);
      git(dir, ['add', file]);
      git(dir, ['commit', '-q', '-m', `Add ${file}\n\nTask: ${id}`]);
      return git(dir, ['rev-parse', 'HEAD']).trim().slice(0, 12);
    };
    const memory = (name: string) => { try { return read(dir, `.agents/memory/${name}.md`); } catch { return ''; } };

    const first = commit('one.txt');
    ok(dir, ['sync']);
    expect(memory(id)).toContain(`commit ${first}\nAdd one.txt`);
    expect(memory('project')).not.toContain(first);

    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'memory']);
    const second = commit('two.txt');
    commit('three.txt'); // its pre-commit writes the queued entry of `second` with git's tools alone
    expect(memory(id)).toContain(`commit ${second}\nAdd two.txt`);
    expect(memory('project')).not.toContain(second);
  });
});

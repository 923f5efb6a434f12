import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, taskFile, write } from './helpers/repo.js';

describe('baton done without a task branch', () => {
  it('closes a task worked on directly on main, committing only baton\'s files', () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Quick fix', '--check', 'test -f fix.txt');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    write(dir, 'fix.txt', 'fixed\n');
    git(dir, ['add', 'fix.txt']);
    git(dir, ['commit', '-q', '-m', 'Fix it']);
    write(dir, 'scratch.txt', 'not mine\n');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Fixed on main.', '--no-commit']);

    const r = baton(dir, ['done', id, '--merge']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${id}: done on main \\(commit [0-9a-f]+\\)\\.\\nCheck \`test -f fix.txt\`: passed\\.\\nNext: \`baton next\`\\.\\n$`));
    expect(read(dir, taskFile(dir, id))).toContain('status: done');
    expect(read(dir, taskFile(dir, id))).not.toContain('branch:');
    expect(read(dir, '.agents/plan.md')).toContain('| Quick fix | done |');
    expect(read(dir, `.agents/memory/${id}.md`)).toMatch(/ check pass\n`test -f fix.txt`/);
    expect(git(dir, ['log', '-1', '--format=%s%n%b'])).toBe(`Done ${id}: Quick fix\nTask: ${id}\nBaton-Commit: done\n\n`);
    expect(git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()).toBe('main');
    // The commit made on main before `done` is in memory (the flush ran), committed with the rest.
    expect(read(dir, `.agents/memory/${id}.md`) + read(dir, '.agents/memory/project.md')).toMatch(/ commit [0-9a-f]{12}\nFix it\n/);
    // Only baton's files were committed; the person's scratch file is untouched.
    expect(git(dir, ['status', '--porcelain'])).toBe('?? scratch.txt\n');
  });
});

/** A new repository whose very first commit is `baton init`: history starts at a root commit. */
import { describe, expect, it } from 'vitest';
import { baton, git, makeRepo, ok, read } from './helpers/repo.js';

describe('baton init in the first commit of a repository', () => {
  it('doctor, the hooks and memory rebuild read a history whose first commit added .agents/', () => {
    const dir = makeRepo({ commit: false });
    ok(dir, ['init']); // its own commit is the root commit
    expect(git(dir, ['rev-list', '--count', 'HEAD']).trim()).toBe('1');
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stderr).not.toMatch(/bad revision|failed/);
    expect(doctor.code).toBe(0);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'Second commit']);
    ok(dir, ['sync']);
    const memory = read(dir, '.agents/memory/project.md');
    expect(memory).toContain('Second commit');
    expect(memory).not.toContain('baton init'); // baton's own commit is not an entry
    const rebuilt = baton(dir, ['memory', 'rebuild']);
    expect(rebuilt.code).toBe(0);
    expect(read(dir, '.agents/memory/project.md').match(/ commit [0-9a-f]{12}\n/g)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, write } from './helpers/repo.js';

function branchWithTask(dir: string, branch: string, title: string, prose?: [string, string]): string {
  git(dir, ['checkout', '-q', '-b', branch, 'main']);
  const id = addTask(dir, title);
  if (prose) write(dir, '.agents/plan.md', read(dir, '.agents/plan.md').replace(prose[0], prose[1]));
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', `Add ${title}`]);
  return id;
}

describe('merging plan.md', () => {
  it('two branches that each add tasks merge without a conflict, the table holding both', () => {
    const dir = makeProject({ hooks: true });
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'hooks', '--allow-empty']);
    const a = branchWithTask(dir, 'feature/a', 'Task from A', ['What this project is for, in a few sentences.', 'A shop.']);
    const b = branchWithTask(dir, 'feature/b', 'Task from B', ['- Languages, platforms, budgets, rules every task must respect.', '- Node 20.']);
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['merge', '-q', '--no-edit', 'feature/a']);
    git(dir, ['merge', '-q', '--no-edit', 'feature/b']);

    const plan = read(dir, '.agents/plan.md');
    expect(plan).toContain('A shop.');
    expect(plan).toContain('- Node 20.');
    expect(plan).toContain(`| [${a}](tasks/${a}-task-from-a.md) | Task from A | ready |`);
    expect(plan).toContain(`| [${b}](tasks/${b}-task-from-b.md) | Task from B | ready |`);
    expect(plan).not.toContain('<<<<<<<');
    // The merged table is what baton itself would write for the merged tasks.
    const before = plan;
    ok(dir, ['graph', '--write']);
    expect(read(dir, '.agents/plan.md').replace(/\n {2}T_\S+ ?.*/g, '')).toBe(before.replace(/\n {2}T_\S+ ?.*/g, ''));
    expect(baton(dir, ['doctor']).code).toBe(0);
  });

  it('a real clash in the prose is still a conflict', () => {
    const dir = makeProject({ hooks: true });
    branchWithTask(dir, 'feature/a', 'Task from A', ['What this project is for, in a few sentences.', 'A shop.']);
    branchWithTask(dir, 'feature/b', 'Task from B', ['What this project is for, in a few sentences.', 'A library.']);
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['merge', '-q', '--no-edit', 'feature/a']);
    expect(() => git(dir, ['merge', '-q', '--no-edit', 'feature/b'])).toThrow();
    expect(git(dir, ['diff', '--name-only', '--diff-filter=U'])).toBe('.agents/plan.md\n');
    const plan = read(dir, '.agents/plan.md');
    expect(plan).toMatch(/<<<<<<< ours\nA shop.\n=======\nA library.\n>>>>>>> theirs/);
    expect(plan).toContain('| Task from A |');
    expect(plan).toContain('| Task from B |');
  });

  it('hooks uninstall removes the driver from git config', () => {
    const dir = makeProject({ hooks: true });
    expect(git(dir, ['config', '--get', 'merge.baton-plan.driver'])).toContain('merge-driver plan %O %A %B');
    ok(dir, ['hooks', 'uninstall']);
    expect(() => git(dir, ['config', '--get', 'merge.baton-plan.driver'])).toThrow();
  });
});

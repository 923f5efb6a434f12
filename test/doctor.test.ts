import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, snapshotFiles, taskFile, write } from './helpers/repo.js';

const task = (id: string, extra = '') => `---\nid: ${id}\ntitle: Task ${id}\nstatus: todo\n${extra}---\n## Context\n`;

describe('baton doctor', () => {
  it('says all is well on a healthy plan', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    addTask(dir, 'B', '-d', a);
    const r = baton(dir, ['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('All good: 2 tasks, no problems.');
  });

  it('reports every problem with file:line, like a linter, and exits 1', () => {
    const dir = makeProject();
    write(dir, '.agents/tasks/T-aa01-cycle-a.md', task('T-aa01', 'depends_on: [T-aa02]\n'));
    write(dir, '.agents/tasks/T-aa02-cycle-b.md', task('T-aa02', 'depends_on: [T-aa01]\n'));
    write(dir, '.agents/tasks/T-bb01-dangling.md', task('T-bb01', 'depends_on: [T-dead]\n'));
    write(dir, '.agents/tasks/T-cc01-bad-status.md', task('T-cc01').replace('status: todo', 'status: finished'));
    write(dir, '.agents/tasks/T-dd01-wrong-name.md', task('T-dd02'));
    write(dir, '.agents/tasks/T-ee01-no-front-matter.md', '# Just prose\n');
    write(dir, '.agents/tasks/T-ff01-bad-yaml.md', '---\nid: T-ff01\ntitle: "unclosed\n---\n');
    write(dir, '.agents/tasks/T-ab01-dup.md', task('T-ab01'));
    write(dir, '.agents/tasks/T-ab01-dup-copy.md', task('T-ab01'));
    write(dir, '.agents/tasks/T-0a01-path-id.md', task('../../x'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'broken plan, by hand']);
    const before = snapshotFiles(dir);
    const r = baton(dir, ['doctor']);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/\.agents\/tasks\/T-aa0[12]-cycle-[ab]\.md:5: error: dependency cycle: T-aa0[12] → T-aa0[12] → T-aa0[12]/);
    expect(out).toContain('.agents/tasks/T-bb01-dangling.md:5: error: `T-bb01` depends on `T-dead`, which does not exist');
    expect(out).toContain('.agents/tasks/T-cc01-bad-status.md:4: error: unknown status `finished`');
    expect(out).toContain('Use one of: todo, in-progress, review, done, blocked, cancelled.');
    expect(out).toContain('.agents/tasks/T-dd01-wrong-name.md:2: error: id `T-dd02` does not match the file name `T-dd01-wrong-name.md`');
    expect(out).toContain('.agents/tasks/T-ee01-no-front-matter.md:1: error: missing front matter');
    expect(out).toMatch(/\.agents\/tasks\/T-ff01-bad-yaml\.md:[34]: error: invalid YAML in front matter: Missing closing "quote\n/);
    expect(out).toMatch(/\.agents\/tasks\/T-ab01-dup(-copy)?\.md:2: error: duplicate id `T-ab01`/);
    expect(out).toContain('.agents/tasks/T-0a01-path-id.md:2: error: `id` must look like `T-7f3a`, got "../../x"');
    expect(out).toMatch(/\n8 errors, 0 warnings in 5 tasks\n$/);
    expect(snapshotFiles(dir)).toEqual(before);

    const json = JSON.parse(baton(dir, ['doctor', '--json']).stdout) as { problems: { file: string; line: number; severity: string }[] };
    expect(json.problems.filter((p) => p.severity === 'error')).toHaveLength(8);
  });

  it('warns about memory of unknown tasks and unknown entry kinds without failing', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    write(dir, `.agents/memory/${a}.md`, '# Memory\n\n## 2026-11-22T10:00:00Z wish\nA kind baton does not know.\n');
    write(dir, '.agents/memory/T-9999.md', '# Memory\n');
    const r = baton(dir, ['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`.agents/memory/${a}.md:3: warning: unknown entry kind \`wish\``);
    expect(r.stdout).toContain('.agents/memory/T-9999.md: warning: memory for `T-9999`, which is not a task');
  });

  it('--fix restores the generated block of plan.md', () => {
    const dir = makeProject();
    const a = addTask(dir, 'A');
    write(dir, '.agents/plan.md', '# Plan\n\nOur goal.\n');
    expect(baton(dir, ['doctor']).stdout).toContain('warning: plan.md has no generated task block');
    ok(dir, ['doctor', '--fix']);
    const plan = read(dir, '.agents/plan.md');
    expect(plan.startsWith('# Plan\n\nOur goal.\n\n## Tasks\n\n<!-- baton:tasks:begin')).toBe(true);
    expect(plan).toContain(`[${a}](tasks/${taskFile(dir, a).split('/').pop()})`);
  });

  it('a broken config.yaml is reported with its line', () => {
    const dir = makeProject();
    write(dir, '.agents/config.yaml', 'base_branch: main\ncontext_budget: lots\n');
    const r = baton(dir, ['doctor']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('.agents/config.yaml:2: error: `context_budget` must be a number of tokens (500 or more), got "lots"');
  });
});

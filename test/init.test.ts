import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, makeRepo, read, snapshotFiles, tempDir, write } from './helpers/repo.js';

describe('baton init', () => {
  it('creates .agents/, the .gitattributes line and an AGENTS.md section', () => {
    const dir = makeRepo();
    const r = baton(dir, ['init', '--no-hooks']);
    expect(r.code).toBe(0);
    for (const f of ['config.yaml', 'plan.md', 'tasks/README.md', 'memory/project.md', 'reviews/README.md']) {
      expect(existsSync(join(dir, '.agents', f)), f).toBe(true);
    }
    expect(read(dir, '.gitattributes')).toBe('.agents/** text eol=lf\n.agents/memory/*.md merge=union\n.agents/plan.md merge=baton-plan\n');
    expect(read(dir, 'AGENTS.md')).toContain('.agents/tasks/<id>-<slug>.md');
    expect(read(dir, '.agents/config.yaml')).toMatch(/^base_branch: main$/m);
    expect(r.stdout).toContain('created  .agents/config.yaml');
  });

  it('is idempotent and never clobbers what a person wrote', () => {
    const dir = makeRepo();
    write(dir, 'AGENTS.md', '# Agents\n\nOur own rules.\n');
    write(dir, '.gitattributes', '*.png binary\n');
    baton(dir, ['init', '--no-hooks']);
    write(dir, '.agents/config.yaml', 'base_branch: trunk   # ours\n');
    const before = { ...snapshotFiles(dir), agents: read(dir, 'AGENTS.md'), attrs: read(dir, '.gitattributes') };
    const again = baton(dir, ['init', '--no-hooks']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect({ ...snapshotFiles(dir), agents: read(dir, 'AGENTS.md'), attrs: read(dir, '.gitattributes') }).toEqual(before);
    expect(before.agents.startsWith('# Agents\n\nOur own rules.\n\n<!-- baton:begin -->')).toBe(true);
    expect(before.attrs).toBe('*.png binary\n.agents/** text eol=lf\n.agents/memory/*.md merge=union\n.agents/plan.md merge=baton-plan\n');
  });

  it('outside a git repository says so and writes nothing', () => {
    const dir = tempDir();
    const r = baton(dir, ['init']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a git repository');
    expect(r.stderr).toContain('git init');
    expect(existsSync(join(dir, '.agents'))).toBe(false);
    expect(existsSync(join(dir, 'AGENTS.md'))).toBe(false);
  });

  it('commands other than init ask for init first', () => {
    const dir = makeRepo();
    const r = baton(dir, ['status']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Run `baton init` first');
  });
});

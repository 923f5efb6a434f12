/** `baton doctor` checks the record against history: every planted inconsistency, with file:line; --fix repairs it. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, git, ok, read, write } from './helpers/repo.js';
import { commitFile, commitRefs, short, taskRepo } from './hooks-util.js';

describe('doctor and the record', () => {
  it('finds stale, missing and deleted entries, a deleted memory file, a missing hook and a wrong base_branch; --fix repairs', () => {
    const { dir, id } = taskRepo();
    const a = commitFile(dir, 'a.txt', 'a\n', 'Add a');
    commitFile(dir, 'b.txt', 'b\n', 'Add b');
    ok(dir, ['log', id, '--outcome', 'partial', '--summary', 'Half of it works', '--decision', 'Keep a and b apart']);
    commitFile(dir, 'c.txt', 'c\n', 'Add c');
    expect(baton(dir, ['doctor']).stdout).toContain('All good');

    const path = `.agents/memory/${id}.md`;
    const text = read(dir, path);
    // Planted: a ghost commit entry, the entry of `a` and the decision removed, project.md and a hook deleted.
    const withoutA = text.replace(new RegExp(`## \\S+ commit ${short(a)}\\n[\\s\\S]*?(?=## )`), '');
    const withoutDecision = withoutA.replace(/## \S+ decision\nKeep a and b apart\n\n?/, '');
    const planted = `${withoutDecision.trimEnd()}\n\n## 2026-01-01T00:00:00Z commit 0123456789ab\nA commit that never was\n`;
    write(dir, path, planted);
    const ghostLine = planted.split('\n').indexOf('## 2026-01-01T00:00:00Z commit 0123456789ab') + 1;
    rmSync(join(dir, '.agents/memory/project.md'));
    rmSync(join(dir, '.git/hooks/post-merge'));

    const r = baton(dir, ['doctor']);
    expect(r.stdout).toContain(`${path}:${ghostLine}: warning: stale entry: commit \`0123456789ab\``);
    expect(r.stdout).toMatch(new RegExp(`${path}:\\d+: warning: 1 commit of HEAD's history missing from memory: ${short(a)}`));
    expect(r.stdout).toMatch(new RegExp(`${path}:\\d+: warning: decision entry of \\S+ deleted`));
    expect(r.stdout).toContain('.agents/memory/project.md: warning: memory file deleted');
    expect(r.stdout).toMatch(/hooks\/post-merge: warning: hook `post-merge` is missing/);

    const fixed = baton(dir, ['doctor', '--fix']);
    expect(fixed.stdout).toContain('fixed: .agents/memory: rebuilt from history');
    expect(fixed.stdout).toContain('All good');
    const after = read(dir, path);
    expect(after).not.toContain('0123456789ab');
    expect(after).toContain('Keep a and b apart');
    // Every commit of the branch once (a restored entry is appended, not put back in place), baton's own (Log, the fix) aside.
    expect(commitRefs(dir, id).sort()).toEqual(git(dir, ['log', '--format=%H', '--invert-grep', '--grep=^Baton-Commit: ', 'main..HEAD']).split('\n').filter(Boolean).map(short).sort());
    expect(read(dir, '.agents/memory/project.md')).toMatch(/^# Memory: project/);
    expect(baton(dir, ['doctor']).stdout).toContain('All good');

    write(dir, '.agents/config.yaml', read(dir, '.agents/config.yaml').replace(/^base_branch: .*$/m, 'base_branch: trunk'));
    const line = read(dir, '.agents/config.yaml').split('\n').findIndex((l) => l.startsWith('base_branch:')) + 1;
    expect(baton(dir, ['doctor']).stdout).toContain(`.agents/config.yaml:${line}: warning: base_branch \`trunk\` does not exist`);
  });
});

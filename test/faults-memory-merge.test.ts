/**
 * Both sides of a merge add to the same memory file: every entry survives, as
 * its own entry, and one a person drops while resolving by hand is noticed.
 *
 * The first test replays merge c1a4e00 of baton's own repository: a task whose
 * file reached the base before memory files were made with tasks, so the task
 * branch (`baton start`) and the base (the pre-commit hook) each created the
 * memory file. git's `merge=union` of that add/add appended the base's title
 * after the task's last entry, where it read as that entry's body: `baton
 * doctor` called the entry deleted, and `--fix` put in a second copy.
 */
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { addTask, baton, git, makeProject, ok, read } from './helpers/repo.js';
import { commitFile } from './hooks-util.js';

const entriesOf = (text: string, kind: string) =>
  [...text.matchAll(new RegExp(`^## \\S+ ${kind}\\b.*\\n((?:(?!## ).*\\n?)*)`, 'gm'))].map((m) => m[1]!.trim());

/** A task committed with no memory file (as older versions of baton left it), on `main`. */
function taskWithoutMemory(title: string): { dir: string; id: string } {
  const dir = makeProject({ hooks: true });
  const id = addTask(dir, title);
  rmSync(join(dir, `.agents/memory/${id}.md`), { force: true });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'Add task'], { BATON_HOOKS: '0' });
  return { dir, id };
}

/** Entries as another runner's `baton log` writes them, committed (the hooks record the commit). */
function appendEntries(dir: string, id: string, entries: string, env: Record<string, string> = {}): void {
  const path = `.agents/memory/${id}.md`;
  commitFile(dir, path, `${read(dir, path).trimEnd()}\n\n${entries}`, `Log ${id}`, [], env);
}

describe('merging memory files that both sides changed', () => {
  it('main merged into a task branch, both having created the memory file: one title, every entry whole', () => {
    const { dir, id } = taskWithoutMemory('Prompt carries everything');
    ok(dir, ['start', id]);
    const branch = git(dir, ['branch', '--show-current']).trim();
    // The title as baton wrote it before (with the task's title), or as a person put it.
    const path = `.agents/memory/${id}.md`;
    commitFile(dir, path, read(dir, path).replace(`# Memory: ${id}\n`, `# Memory: ${id} Prompt carries everything\n`), 'Memory title');
    commitFile(dir, 'src/prompt.ts', 'x\n', 'Prompt: nested sections');
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Prompt done.', '--bug', 'Before: untracked prompt file.', '--bug', 'Before: the template could not nest sections.']);
    git(dir, ['checkout', '-q', 'main']);
    commitFile(dir, 'other.txt', 'o\n', 'Main moves on'); // the hook gives the task its memory file on main too
    expect(read(dir, path)).toMatch(/^# Memory/);
    git(dir, ['checkout', '-q', branch]);
    const before = read(dir, path);
    git(dir, ['merge', '-q', '--no-edit', 'main']);

    const after = read(dir, path);
    expect(after.match(/^# Memory/gm)).toHaveLength(1);
    expect(entriesOf(after, 'bug')).toEqual(['Before: untracked prompt file.', 'Before: the template could not nest sections.']);
    expect(after.startsWith(before.trimEnd())).toBe(true); // the branch's text is kept as it was
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).not.toMatch(/entry of .* deleted/);
    ok(dir, ['doctor', '--fix']);
    expect(entriesOf(read(dir, path), 'bug')).toHaveLength(2);
  });

  it('a file already merged with a stray title (c1a4e00): doctor names it, the next `baton log` removes it, no entry is copied', () => {
    const { dir, id } = taskWithoutMemory('Merged before the fix');
    ok(dir, ['start', id]);
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Done.', '--bug', 'Before: the template could not nest sections.']);
    const path = `.agents/memory/${id}.md`;
    const title = `# Memory: ${id}\n\nAppend-only log of attempts, commits, results, bugs and decisions for this task.\n`;
    // What git's union merge wrote: the base's title glued to the last entry.
    commitFile(dir, path, read(dir, path).trimEnd() + '\n' + title, 'Merge main (union)');
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).toMatch(/title/);
    expect(doctor.stdout + doctor.stderr).not.toMatch(/bug entry of .* deleted/);
    // The next command that writes memory takes the title out, and commits the file clean.
    ok(dir, ['log', id, '--outcome', 'success', '--summary', 'Again.']);
    const fixed = read(dir, path);
    expect(fixed.match(/^# Memory/gm)).toHaveLength(1);
    expect(entriesOf(fixed, 'bug')).toEqual(['Before: the template could not nest sections.']);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    const again = baton(dir, ['doctor']);
    expect(again.stdout + again.stderr).not.toMatch(/title|deleted/);
  });

  it('both sides add entries with the same heading: git\'s line union folds them into one; both stay', () => {
    const { dir, id } = taskWithoutMemory('Same second');
    ok(dir, ['start', id]);
    const branch = git(dir, ['branch', '--show-current']).trim();
    git(dir, ['checkout', '-q', '-b', 'runner-b']);
    appendEntries(dir, id, '## 2026-11-30T09:03:34Z result partial\nRunner B: half.\n\n## 2026-11-30T09:03:34Z decision\nKeep the cache.\n');
    git(dir, ['checkout', '-q', branch]);
    appendEntries(dir, id, '## 2026-11-30T09:03:34Z result partial\nRunner A: the other half.\n\n## 2026-11-30T09:03:34Z decision\nKeep the cache.\n');
    git(dir, ['merge', '-q', '--no-edit', 'runner-b']);
    const text = read(dir, `.agents/memory/${id}.md`);
    expect(entriesOf(text, 'result').sort()).toEqual(['Runner A: the other half.', 'Runner B: half.']);
    expect(entriesOf(text, 'decision')).toEqual(['Keep the cache.']); // the same entry on both sides is one
    expect(text).not.toMatch(/^[<=>]{7}/m);
  });

  it('a memory file resolved by taking one side: doctor names the dropped entries and `baton done` restores them', () => {
    const { dir, id } = taskWithoutMemory('Hand resolution');
    ok(dir, ['start', id]);
    const branch = git(dir, ['branch', '--show-current']).trim();
    git(dir, ['checkout', '-q', '-b', 'runner-b']);
    appendEntries(dir, id, '## 2026-11-30T09:10:00Z result partial\nRunner B half.\n\n## 2026-11-30T09:10:00Z bug\nFound on runner B.\n');
    git(dir, ['checkout', '-q', branch]);
    appendEntries(dir, id, '## 2026-11-30T09:11:00Z result partial\nRunner A half.\n');
    git(dir, ['merge', '-q', '--no-commit', 'runner-b']);
    const path = `.agents/memory/${id}.md`;
    git(dir, ['checkout', 'HEAD', '--', path]); // "keep mine"
    // Committed where baton's hooks do not run (a clone without them): the file is exactly our side's.
    git(dir, ['commit', '-q', '--no-edit'], { BATON_HOOKS: '0' });
    expect(git(dir, ['diff', '--stat', 'HEAD^1', 'HEAD', '--', path])).toBe('');
    expect(read(dir, path)).not.toContain('Found on runner B.');
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).toMatch(/bug entry of 2026-11-30T09:10:00Z deleted/);
    expect(doctor.stdout + doctor.stderr).toMatch(/result entry of 2026-11-30T09:10:00Z deleted/);
    // Closing the task puts them back: a task never closes with an entry its history holds missing.
    ok(dir, ['done', id, '--skip-checks']);
    const fixed = read(dir, path);
    expect(entriesOf(fixed, 'bug')).toEqual(['Found on runner B.']);
    expect(entriesOf(fixed, 'result').sort()).toEqual(['Runner A half.', 'Runner B half.']);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(git(dir, ['show', 'HEAD:' + path])).toContain('Found on runner B.');
  });

  it('in a clone without baton, git\'s union folds two entries into one: doctor names both, --fix puts them back apart', () => {
    const { dir, id } = taskWithoutMemory('Union fallback');
    ok(dir, ['start', id]);
    // A clone without baton: no merge driver (the tracked `merge=union` decides) and no hooks.
    rmSync(join(dir, '.git/info/attributes'));
    const off = { BATON_HOOKS: '0' };
    const branch = git(dir, ['branch', '--show-current']).trim();
    git(dir, ['checkout', '-q', '-b', 'runner-b']);
    appendEntries(dir, id, '## 2026-11-30T09:03:34Z result partial\nRunner B: half.\n', off);
    git(dir, ['checkout', '-q', branch]);
    appendEntries(dir, id, '## 2026-11-30T09:03:34Z result partial\nRunner A: the other half.\n', off);
    git(dir, ['merge', '-q', '--no-edit', 'runner-b'], off);
    const path = `.agents/memory/${id}.md`;
    expect(entriesOf(read(dir, path), 'result')).toEqual(['Runner A: the other half.\nRunner B: half.']); // what union did
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout.match(/result entry of 2026-11-30T09:03:34Z deleted/g)).toHaveLength(2);
    ok(dir, ['doctor', '--fix']);
    const fixed = read(dir, path);
    expect(entriesOf(fixed, 'result').sort()).toEqual(['Runner A: the other half.', 'Runner B: half.']);
    expect(fixed.match(/Runner B: half\./g)).toHaveLength(1);
  });
});

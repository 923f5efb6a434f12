/** `baton memory`: reading entries, and rebuilding commit entries from history. */
import { describe, expect, it } from 'vitest';
import { baton, git, ok, read, write } from './helpers/repo.js';
import { commitFile, commitRefs, expectExact, flush, taskRepo } from './hooks-util.js';

const NOTE = '## 2020-01-01T00:00:00Z note\nWritten by hand; rebuild must keep it.\n';

function commitEntries(text: string): string[] {
  return text.split(/\n(?=## )/).filter((b) => /^## \S+ commit /.test(b)).map((b) => b.trimEnd());
}

describe('baton memory rebuild', () => {
  it('makes the same entries the hooks wrote, keeping every other entry', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'src/a.ts', 'a\n', 'Add a', ['-m', 'Because a comes first.']);
    const path = `.agents/memory/${id}.md`;
    flush(dir); // as `baton log` does before it writes its entry
    write(dir, path, `${read(dir, path)}\n${NOTE}`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Note by hand']);
    commitFile(dir, 'src/b.ts', 'b\nb\n', 'Add b');
    git(dir, ['commit', '-q', '--amend', '-m', 'Add b, amended']);
    commitFile(dir, 'bin.dat', '\u0000\u0001', 'Binary file');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
    const hooksWrote = read(dir, path);

    // Rebuilding memory that is right changes nothing, byte for byte.
    expect(ok(dir, ['memory', 'rebuild', id])).toContain('nothing changed');
    expect(read(dir, path)).toBe(hooksWrote);

    // Without its commit entries (and with one for a commit that never was), rebuild restores them.
    const stripped = hooksWrote.split(/\n(?=## )/).filter((b) => !/^## \S+ commit /.test(b)).join('\n');
    write(dir, path, `${stripped.trimEnd()}\n\n## 2020-01-02T00:00:00Z commit 0123456789ab\nGone\n`);
    const result = (JSON.parse(ok(dir, ['memory', 'rebuild', '--json'])) as { results: { id: string; added: number; removed: number }[] }).results;
    expect(result.find((r) => r.id === id)).toMatchObject({ added: 4, removed: 1 });
    const rebuilt = read(dir, path);
    expect(commitEntries(rebuilt)).toEqual(commitEntries(hooksWrote));
    expect(rebuilt).toContain(NOTE);
    expect(rebuilt).toContain('- bin.dat (binary)');
    expectExact(dir, id, ['main..HEAD']);
  });
});

describe('baton memory', () => {
  it('lists entries newest last, by task or all, filtered by --kind, --since, --grep, with --json', () => {
    const { dir, id } = taskRepo();
    const path = `.agents/memory/${id}.md`;
    commitFile(dir, 'a.txt', 'a\n', 'Add the login form');
    flush(dir);
    write(dir, path, `${read(dir, path)}\n## 2099-01-01T00:00:00Z decision\nSessions live on the server.\n\n${NOTE}`);
    // baton's own Plan commit is not a memory entry: project.md gets a note of its own.
    write(dir, '.agents/memory/project.md', `${read(dir, '.agents/memory/project.md')}\n## 2021-01-01T00:00:00Z note\nA project note.\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'Decide']);
    const all = ok(dir, ['memory']);
    expect(all.indexOf('2020-01-01T00:00:00Z note')).toBeLessThan(all.indexOf('commit'));
    expect(all.indexOf('commit')).toBeLessThan(all.indexOf('decision'));
    expect(all).toContain(`(${id})`);
    expect(all).toContain('(project)');
    const commits = (JSON.parse(ok(dir, ['memory', id.slice(0, 5), '--kind', 'commit', '--json'])) as { entries: { kind: string; task: string; body: string }[] }).entries;
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ kind: 'commit', task: id });
    expect(commits[0]!.body).toMatch(/^Add the login form\n\n- a\.txt \+1 -0$/);
    expect(ok(dir, ['memory', id, '--grep', 'SESSIONS'])).toContain('Sessions live on the server.');
    expect(ok(dir, ['memory', id, '--grep', 'sessions'])).not.toContain('commit');
    const late = ok(dir, ['memory', '--since', '2050-06-01']);
    expect(late).toContain('decision');
    expect(late).not.toContain('note');
    expect(ok(dir, ['memory', 'project', '--kind', 'decision'])).toContain('No memory entries match.');
    const bad = baton(dir, ['memory', '--since', 'yesterday-ish']);
    expect(bad.code).toBe(2); // a usage error (README, "Exit codes")
    expect(bad.stderr).toContain('`--since yesterday-ish` is not a date');
    expect(commitRefs(dir, id)).toHaveLength(1);
  });
});

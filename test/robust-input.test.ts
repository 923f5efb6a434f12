/**
 * Never half-done, never a stack trace: hostile or broken input (control
 * characters in titles, a YAML alias bomb, a folder or a dangling link named
 * like a task, a duplicate id) gets a located, clean refusal that changes
 * nothing; a start that fails late undoes itself; parallel logs each land once.
 */
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, baton, batonAsync, git, makeProject, ok, read, repoState, taskFile, write } from './helpers/repo.js';

/** Everything a refusal must leave alone. */
function state(dir: string) {
  return { ...repoState(dir), index: git(dir, ['ls-files', '-s']) };
}

const STACK = /\n\s+at .+:\d+:\d+\)?\n/;

function billionLaughs(id: string): string {
  const lines = ['---', `id: ${id}`, 'title: Bomb', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  let prev = 'a';
  for (const n of 'bcdefghi') {
    lines.push(`${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = n;
  }
  return `${lines.join('\n')}\n---\n## Context\n`;
}

describe('titles are one line of plain text', () => {
  it('task add turns a newline into a space and names the file it wrote; control characters are refused and nothing is written', () => {
    const dir = makeProject();
    const added = JSON.parse(ok(dir, ['task', 'add', 'Parse input\nand output', '--json'])) as { id: string; title: string; path: string };
    expect(added.title).toBe('Parse input and output');
    expect(read(dir, added.path)).toContain('title: Parse input and output\n');

    const before = state(dir);
    for (const title of ['Red \x1b[31malert', 'Bell\x07', 'Erase\x1b]0;pwned\x07']) {
      const r = baton(dir, ['task', 'add', title]);
      expect(r.code, title).toBe(1);
      expect(r.stderr).toContain('the title contains a control character');
      expect(r.stderr).not.toContain('\x1b');
    }
    expect(baton(dir, ['task', 'set', added.id, '--title', 'Now \x1b[2J']).code).toBe(1);
    expect(state(dir)).toEqual(before);
  });

  it('a NUL in a hand-edited title: start refuses at the title line and changes nothing', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Nul title');
    const path = taskFile(dir, id);
    write(dir, path, read(dir, path).replace('title: Nul title', 'title: "Nul\\0title"'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'plan']);
    const before = state(dir);
    const r = baton(dir, ['start', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path}:3: \`title\` contains a control character (U+0000)`);
    expect(r.stderr).not.toMatch(STACK);
    expect(state(dir)).toEqual(before);
  });
});

describe('broken files in .agents/tasks/', () => {
  it('a folder, a dangling link and an alias bomb are located problems, never stack traces', () => {
    const dir = makeProject();
    const good = addTask(dir, 'Good task');
    mkdirSync(join(dir, '.agents/tasks/T-dead-folder.md'));
    symlinkSync('/nonexistent/T-beef.md', join(dir, '.agents/tasks/T-beef-link.md'));
    write(dir, '.agents/tasks/T-b00b-bomb.md', billionLaughs('T-b00b'));

    const doctor = baton(dir, ['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout + doctor.stderr).not.toMatch(STACK);
    expect(doctor.stdout).toContain('.agents/tasks/T-dead-folder.md: warning: a folder named like a task file');
    expect(doctor.stdout).toContain('.agents/tasks/T-beef-link.md: warning: a symbolic link to `/nonexistent/T-beef.md` that leads nowhere');
    // Line 5: the first alias (`b: &b [*a, …]`).
    expect(doctor.stdout).toContain('.agents/tasks/T-b00b-bomb.md:5: error: YAML aliases that cannot be read');

    for (const args of [['status'], ['task', 'list'], ['next'], ['start', good]]) {
      const r = baton(dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('.agents/tasks/T-b00b-bomb.md:5: YAML aliases that cannot be read');
      expect(r.stderr, args.join(' ')).not.toContain('unexpected error');
    }

    // Without the bomb, the folder and the link are skipped and every command works.
    rmSync(join(dir, '.agents/tasks/T-b00b-bomb.md'));
    const list = baton(dir, ['task', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`${good}  todo`);

    // The same bomb in config.yaml: located, not a stack trace.
    const config = read(dir, '.agents/config.yaml');
    write(dir, '.agents/config.yaml', `${config}${billionLaughs('T-b00b').split('\n').slice(3, 12).join('\n')}\n`);
    const status = baton(dir, ['status']);
    expect(status.code).toBe(1);
    expect(status.stderr).toMatch(/^baton: \.agents\/config\.yaml:\d+: YAML aliases that cannot be read/);
  });

  it('start refuses a duplicate id, naming both files, and changes nothing', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Original');
    const first = taskFile(dir, id);
    const copy = `.agents/tasks/${id}-copy.md`;
    copyFileSync(join(dir, first), join(dir, copy));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'plan']);
    const before = state(dir);
    const r = baton(dir, ['start', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`two task files have the id \`${id}\``);
    expect(r.stderr).toContain(first);
    expect(r.stderr).toContain(copy);
    expect(state(dir)).toEqual(before);
  });
});

describe('deeply nested markdown', () => {
  it('a task body nested too deep for the markdown parser is read line by line', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Deep', '--criterion', 'Reads deep quotes');
    const path = taskFile(dir, id);
    write(dir, path, read(dir, path).replace('## Context\n', `## Context\n\n${'>'.repeat(50_000)} quoted\n`));
    const r = baton(dir, ['pr', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('## Context\n\n>>>>>'); // the task's Context, under its own name
    expect(r.stdout).not.toContain('unexpected error');
    expect(r.stdout).toContain('- [ ] Reads deep quotes');
  });
});

describe('a start that fails late', () => {
  it('undoes the branch, the index and the files when its commit fails', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Guarded');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'plan']);
    // The person's own hook refuses every commit: baton's Start commit fails after the switch.
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\necho "pre-commit: no commits today" >&2\nexit 1\n');
    chmodSync(join(dir, '.git/hooks/pre-commit'), 0o755);
    const before = state(dir);
    const r = baton(dir, ['start', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`baton start` was undone');
    expect(r.stderr).not.toMatch(STACK);
    expect(state(dir)).toEqual(before);
    expect(git(dir, ['branch', '--list', `task/${id}-*`])).toBe('');
  });
});

describe('parallel logs', () => {
  it('8 committing logs at once all succeed, each note exactly once', async () => {
    const dir = makeProject({ hooks: true });
    const id = addTask(dir, 'Busy');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'plan']);
    ok(dir, ['start', id]);
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => batonAsync(dir, ['log', id, '--note', `parallel note ${i}`])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const memory = read(dir, `.agents/memory/${id}.md`);
    for (let i = 0; i < 8; i++) expect(memory.split(`parallel note ${i}\n`).length - 1, `note ${i}`).toBe(1);
    // Each Log folds the one before it at the branch tip: one commit of baton's holds all eight.
    expect(git(dir, ['log', '--format=%s']).split('\n').filter((s) => s === `Log ${id}: 1 entry`)).toHaveLength(1);
    expect(git(dir, ['log', '-1', '--format=%s'])).toBe(`Log ${id}: 1 entry\n`);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });
});

describe('escape sequences from files reach the terminal as visible text', () => {
  it('memory and errors show control characters escaped, JSON too', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Display');
    // A memory file edited by hand (baton itself stores what agents and checks print without escapes).
    write(dir, `.agents/memory/${id}.md`, `# Memory: ${id}\n\n## 2026-01-01T00:00:00Z note\nbefore\x1b]0;pwned\x07\x1b[2Jafter\rover\u009b31m\n`);
    const shown = ok(dir, ['memory', id]);
    expect(shown).toContain('before\\x1b]0;pwned\\x07\\x1b[2Jafter\\x0dover\\x9b31m');
    expect(shown).not.toMatch(/[\x1b\x07\r\u009b]/);
    const asJson = ok(dir, ['memory', id, '--json']);
    expect(asJson).not.toMatch(/[\x1b\x07\r\u009b]/);
    expect((JSON.parse(asJson) as { entries: { body: string }[] }).entries.some((e) => e.body.includes('\x1b]0;pwned\x07'))).toBe(true);
  });
});

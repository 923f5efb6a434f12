/**
 * Compaction: the memory of a task done long ago folded into one summary entry.
 * A person's path: `memory_fold_after: 1`, a task done, a later task's prompt
 * read, the next task's merge folding the first, then doctor, rebuild, the
 * prompt, the link, merges both ways with a branch that added to the folded
 * file meanwhile, and `memory compact` refused on a task branch.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addTask, baton, git, makeProject, ok, read, write } from './helpers/repo.js';
import { commitFile } from './hooks-util.js';
import { foldMemory, routingView } from '../src/memory/compact.js';
import { keepAppendOnly } from '../src/memory/append-only.js';
import { mergeMemoryText } from '../src/memory/merge.js';
import { parseMemory } from '../src/memory/file.js';

const headings = (text: string) => [...text.matchAll(/^## \S+ (\S+)/gm)].map((m) => m[1]);

describe('memory compact', () => {
  it('folds a task done long ago at a later merge; doctor is clean, rebuild keeps the fold, a later prompt is unchanged, the link has the full text, merges keep it', () => {
    const dir = makeProject({ hooks: true });
    // Fold what is done more than one finished task ago, at each `done --merge`.
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}memory_fold_after: 1\n`);
    git(dir, ['commit', '-qam', 'Config: fold memory after one task']);
    const a = addTask(dir, 'Store sessions', '--file', 'src/session.ts');
    const b = addTask(dir, 'Add login', '-d', a, '--file', 'src/login.ts');
    const c = addTask(dir, 'Write docs', '--file', 'docs/index.md');
    const path = `.agents/memory/${a}.md`;
    ok(dir, ['prompt', a]); // its record goes onto the branch with `start`: `.agents/prompts/<id>.md`
    ok(dir, ['start', a]);
    for (let i = 1; i <= 3; i++) commitFile(dir, 'src/session.ts', `export const step = ${i};\n`, `Sessions: step ${i}`);
    ok(dir, ['log', a, '--outcome', 'success', '--summary', 'Sessions stored.', '--decision', 'Sessions live in Redis under SESSION-REDIS-KEY.', '--bug', 'Expiry was off by one hour.', '--done']);
    ok(dir, ['done', a, '--merge']);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe('main');
    // Two branches off main that add to the task's memory before the fold (a person's notes).
    for (const [side, note] of [['side-1', 'Rotate SESSION keys monthly.'], ['side-2', 'Sessions expire after 30 days.']]) {
      git(dir, ['checkout', '-q', '-b', side!, 'main']);
      commitFile(dir, path, `${read(dir, path).trimEnd()}\n\n## 2099-01-01T00:00:00Z note\n${note}\n`, 'Memory: note on sessions');
    }
    git(dir, ['checkout', '-q', 'main']);
    const prompt = ok(dir, ['prompt', b]);
    expect(prompt).toContain('SESSION-REDIS-KEY');
    const full = read(dir, path);

    // The next task's merge pushes the first past `memory_fold_after`: it is folded, in a commit of its own.
    ok(dir, ['start', c]);
    commitFile(dir, 'docs/index.md', '# Docs\n', 'Docs: index');
    ok(dir, ['log', c, '--outcome', 'success', '--summary', 'Docs written.', '--done']);
    expect(ok(dir, ['done', c, '--merge'])).toContain(`Folded the memory of ${a}`);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(git(dir, ['log', '-1', '--format=%s'])).toMatch(/^Memory: fold 1 task done more than 1 task ago/);
    const folded = read(dir, path);
    expect(headings(folded).slice(0, 4)).toEqual(['result', 'decision', 'bug', 'fold']);
    expect(folded).not.toMatch(/^## \S+ (attempt|commit)/m);
    const link = /^## \S+ fold ([0-9a-f]{40})$/m.exec(folded)![1]!;
    expect(folded).toContain(`Full text: \`git show ${link}:${path}\``);
    expect(folded).toMatch(/^- [0-9a-f]{12} Sessions: step 3$/m);
    // The link: a commit whose tree holds the full text (and the merge's own entry, recorded after it).
    expect(git(dir, ['show', `${link}:${path}`]).startsWith(full.trimEnd())).toBe(true);
    // The task's last prompt went with the fold; it stays at the link too.
    expect(existsSync(join(dir, `.agents/prompts/${a}.md`))).toBe(false);
    expect(git(dir, ['show', `${link}:.agents/prompts/${a}.md`])).toContain('Store sessions');

    // A later task's prompt: the same bytes, the folded task's decision, result and files in it.
    expect(ok(dir, ['prompt', b])).toBe(prompt);
    // doctor finds nothing missing; rebuild does not unfold; folding again folds nothing.
    const doctor = baton(dir, ['doctor']);
    expect(doctor.stdout + doctor.stderr).not.toMatch(/missing|deleted|stale/);
    expect(doctor.code).toBe(0);
    expect(ok(dir, ['memory', 'rebuild'])).toMatch(/nothing changed/);
    expect(read(dir, path)).toBe(folded);
    const again = JSON.parse(ok(dir, ['memory', 'compact', '--older-than', '1', '--dry-run', '--json']));
    expect(again.folded).toEqual([]);

    // Merges both ways with the branches that added to the file before the fold: the fold holds, the notes come in.
    const foldedOnly = (text: string) => {
      expect(headings(text).filter((k) => k === 'attempt' || k === 'fold')).toEqual(['fold']);
      expect(text.match(/^## \S+ commit /gm)?.length ?? 0).toBe(headings(folded).filter((k) => k === 'commit').length);
    };
    git(dir, ['merge', '-q', '--no-edit', 'side-1']); // ours folded, theirs full
    foldedOnly(read(dir, path));
    expect(read(dir, path)).toContain('Rotate SESSION keys monthly.');
    git(dir, ['checkout', '-q', 'side-2']);
    git(dir, ['merge', '-q', '--no-edit', 'main']); // ours full, theirs folded
    const merged = read(dir, path);
    foldedOnly(merged);
    expect(merged).toContain('Rotate SESSION keys monthly.');
    expect(merged).toContain('Sessions expire after 30 days.');
    expect(baton(dir, ['doctor']).code).toBe(0);
    git(dir, ['checkout', '-q', 'main']);

    // A task branch may not fold: refused, nothing written.
    ok(dir, ['start', b]);
    const refused = baton(dir, ['memory', 'compact', '--older-than', '0']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/on the base branch, not on the task branch/);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });
});

describe('folds, pure', () => {
  const TITLE = '# Memory: T-abcd\n\nAppend-only log of attempts, commits, results, bugs and decisions for this task.\n';
  const e = (time: string, kind: string, body: string) => `## 2026-11-30T${time}Z ${kind}\n${body}\n`;
  const full = [
    e('09:00:00', 'attempt', 'Attempt 1.'),
    e('09:01:00', 'decision', 'Use floats for money.'),
    e('09:02:00', 'result failure', 'Rounding broke.'),
    e('09:03:00', 'attempt', 'Attempt 2.'),
    e('09:04:00', 'commit 0123456789ab', 'Money: cents\n\n- src/money.ts +9 -1'),
    e('09:05:00', 'result success', 'Money in cents.'),
    e('09:05:00', 'decision', 'Money is integer cents (CENTS-KEY).'),
  ].join('\n');
  const text = `${TITLE}\n${full}`;
  const LINK = 'f'.repeat(40);

  it('keeps what prompts route, takes in the rest (the superseded decision too), and undoes nothing on a merge either way', () => {
    const parsed = parseMemory(text, 'T-abcd');
    const plan = foldMemory(parsed.entries, parsed.preamble, 'T-abcd', LINK);
    const out = plan.text!;
    expect(parseMemory(out).entries.map((x) => `${x.kind} ${x.ref ?? ''}`.trim())).toEqual(['result failure', 'result success', 'decision', `fold ${LINK}`]);
    expect(out).not.toContain('Use floats for money.');
    expect(out).toContain('- 0123456789ab Money: cents\n');
    expect(routingView(parseMemory(out).entries)).toBe(routingView(parsed.entries));
    // Their side still has the full file plus a new note; ours folded: the fold holds, the note comes in.
    const note = e('10:00:00', 'note', 'Later note.');
    const theirs = `${text}\n${note}`;
    for (const merged of [mergeMemoryText(text, out, theirs, 'T-abcd'), mergeMemoryText(text, theirs, out, 'T-abcd')]) {
      expect(parseMemory(merged).entries.map((x) => x.kind)).toEqual(['result', 'result', 'decision', 'fold', 'note']);
    }
  });

  it('a fold written on a task branch goes at done, and what it claimed to hold comes back', () => {
    const parsed = parseMemory(text, 'T-abcd');
    const forged = foldMemory(parsed.entries, parsed.preamble, 'T-abcd', LINK).text!;
    const { text: kept } = keepAppendOnly(text, forged, 'T-abcd');
    expect(parseMemory(kept).entries.map((x) => x.kind)).toEqual(parseMemory(text).entries.map((x) => x.kind));
  });

  it('not folded when a prompt would read it differently: a reopened task restarted (its open attempt)', () => {
    const reopened = `${text}\n${e('11:00:00', 'attempt', 'Attempt 3.')}`;
    const parsed = parseMemory(reopened, 'T-abcd');
    const plan = foldMemory(parsed.entries, parsed.preamble, 'T-abcd', LINK);
    expect(plan.text).toBeUndefined();
    expect(plan.reason).toMatch(/would change what prompts read/);
  });
});

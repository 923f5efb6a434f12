/** Pure parts of the memory merge driver: entries merged as entries, titles a line merge left among them. */
import { describe, expect, it } from 'vitest';
import { mergeMemoryText } from '../src/memory/merge.js';
import { strayTitles, withoutStrayTitles } from '../src/memory/titles.js';
import { parseMemory } from '../src/memory/file.js';
import { foldedEntries } from '../src/memory/folds.js';

const TITLE = '# Memory: T-abcd\n\nAppend-only log of attempts, commits, results, bugs and decisions for this task.\n';
const e = (time: string, kind: string, body: string) => `## 2026-11-30T${time}Z ${kind}\n${body}\n`;
const bodies = (text: string) => parseMemory(text).entries.map((x) => `${x.kind}: ${x.body}`);

describe('mergeMemoryText', () => {
  const base = `${TITLE}\n${e('09:00:00', 'attempt', 'Attempt 1.')}`;

  it('keeps our text as it is and puts their new entries where their time places them', () => {
    const ours = `${base}\n${e('09:05:00', 'note', 'Ours.')}`;
    const theirs = `${base}\n${e('09:02:00', 'bug', 'Theirs.')}\n${e('09:09:00', 'note', 'Theirs later.')}`;
    const out = mergeMemoryText(base, ours, theirs, 'T-abcd');
    expect(bodies(out)).toEqual(['attempt: Attempt 1.', 'bug: Theirs.', 'note: Ours.', 'note: Theirs later.']);
    expect(out.replace(/## 2026-11-30T09:02:00Z bug\nTheirs\.\n\n/, '').replace(/\n\n## 2026-11-30T09:09:00Z note\nTheirs later\.\n$/, '\n')).toBe(ours);
  });

  it('two entries with the same heading stay two; the same entry on both sides is one', () => {
    const ours = `${base}\n${e('09:03:34', 'result success', 'A.')}\n${e('09:03:34', 'decision', 'Same.')}`;
    const theirs = `${base}\n${e('09:03:34', 'result success', 'B.')}\n${e('09:03:34', 'decision', 'Same.')}`;
    expect(bodies(mergeMemoryText(base, ours, theirs, 'T-abcd'))).toEqual(['attempt: Attempt 1.', 'result: A.', 'decision: Same.', 'result: B.']);
  });

  it('a rebase replays a commit onto an older file: the entries the base had come with it, in order', () => {
    const a = e('09:01:00', 'commit aaaaaaaaaaaa', 'Add a');
    const b = e('09:02:00', 'commit bbbbbbbbbbbb', 'Add b');
    const out = mergeMemoryText(`${base}\n${a}`, base, `${base}\n${a}\n${b}`, 'T-abcd');
    expect(bodies(out)).toEqual(['attempt: Attempt 1.', 'commit: Add a', 'commit: Add b']);
  });

  it('a commit is one entry whatever its text (7 or 12 hex, a regenerated body)', () => {
    const ours = `${base}\n${e('09:01:00', 'commit 0123456789ab', 'Subject\n\n- a.ts +1 -0')}`;
    const theirs = `${base}\n${e('09:01:00', 'commit 0123456', 'Subject')}`;
    expect(mergeMemoryText(base, ours, theirs, 'T-abcd')).toBe(ours);
  });

  it('both sides created the file with different titles (c1a4e00): one title, the entry whole', () => {
    const ours = `${TITLE.replace('T-abcd\n', 'T-abcd Prompt carries everything\n')}\n${e('09:03:34', 'bug', 'Nested sections.')}`;
    const out = mergeMemoryText('', ours, TITLE, 'T-abcd');
    expect(out).toBe(ours);
    expect(mergeMemoryText('', TITLE, ours, 'T-abcd')).toBe(`${TITLE}\n${e('09:03:34', 'bug', 'Nested sections.')}`);
  });

  it('a note a person wrote above their entries is kept under ours', () => {
    const theirs = `${TITLE}\nRead docs/memory.md first.\n\n${e('09:00:00', 'attempt', 'Attempt 1.')}`;
    const out = mergeMemoryText(base, base, theirs, 'T-abcd');
    expect(parseMemory(out).preamble).toContain('Read docs/memory.md first.');
    expect(bodies(out)).toEqual(['attempt: Attempt 1.']);
  });
});

describe('stray titles', () => {
  it('a title glued to the last entry is found and taken out; the entry reads as it was written', () => {
    const entry = e('09:03:34', 'bug', 'Nested sections.');
    const merged = `${TITLE}\n${entry}${TITLE}\n${e('09:04:00', 'commit cf1b7ae0ab45', 'Log')}`;
    expect(strayTitles(merged).map((t) => t.line)).toEqual([7]);
    expect(withoutStrayTitles(merged)).toBe(`${TITLE}\n${entry}\n${e('09:04:00', 'commit cf1b7ae0ab45', 'Log')}`);
    expect(withoutStrayTitles(`${TITLE}\n${entry}${TITLE}`)).toBe(`${TITLE}\n${entry}`);
  });

  it('a title in the preamble, in a code fence, or with words a person added after it, is left alone', () => {
    const fenced = `${TITLE}\n${e('09:00:00', 'note', '```md\n# Memory: T-abcd\n```')}`;
    expect(strayTitles(fenced)).toEqual([]);
    expect(strayTitles(TITLE)).toEqual([]);
    const personal = `${TITLE}\n${e('09:00:00', 'note', 'x')}# Memory: T-abcd\n\nMy own words.\n`;
    expect(withoutStrayTitles(personal)).toContain('My own words.');
  });
});

describe('entries git\'s union folded into one', () => {
  const lost = parseMemory(`${TITLE}\n${e('09:03:34', 'result partial', 'A.\nShared.')}\n${e('09:03:34', 'result partial', 'B.\nShared.')}`).entries;

  it('one entry with exactly the lines of two lost ones, under their heading, is a fold', () => {
    const present = parseMemory(`${TITLE}\n${e('09:03:34', 'result partial', 'A.\nB.\nShared.')}`).entries;
    expect(foldedEntries(present, lost)).toHaveLength(1);
  });

  it('an entry with a line of its own, under another heading, or made of one lost entry\'s lines only, is not', () => {
    const more = parseMemory(`${TITLE}\n${e('09:03:34', 'result partial', 'A.\nB.\nShared.\nMine.')}`).entries;
    expect(foldedEntries(more, lost)).toEqual([]);
    const other = parseMemory(`${TITLE}\n${e('09:03:35', 'result partial', 'A.\nB.\nShared.')}`).entries;
    expect(foldedEntries(other, lost)).toEqual([]);
    const edited = parseMemory(`${TITLE}\n${e('09:03:34', 'result partial', 'Shared.\nA.')}`).entries;
    expect(foldedEntries(edited, lost.slice(0, 1))).toEqual([]);
  });
});

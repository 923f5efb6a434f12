/** Rewrites that drop commits: memory must hold exactly the commits in history, none that were dropped. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, read } from './helpers/repo.js';
import { clean, commitFile, commitRefs, expectExact, flush, short, taskRepo } from './hooks-util.js';

const memoryOf = (dir: string, id: string) => (existsSync(join(dir, `.agents/memory/${id}.md`)) ? read(dir, `.agents/memory/${id}.md`) : '');

describe('rewrites that drop commits', () => {
  it('git reset --hard: the dropped commit never reaches memory, by the hook or the flush', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    const dropped = commitFile(dir, 'b.txt', 'b\n', 'Add b, then thrown away');
    git(dir, ['reset', '-q', '--hard', 'HEAD~1']);
    commitFile(dir, 'c.txt', 'c\n', 'Add c');
    expect(clean(dir)).toBe('');
    expect(commitRefs(dir, id)).not.toContain(short(dropped));
    expect(memoryOf(dir, id)).not.toContain('thrown away');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
  });

  it('an aborted rebase: its replayed commits are neither recorded nor duplicated', () => {
    const { dir, id } = taskRepo();
    for (const n of ['a', 'b', 'c']) commitFile(dir, `${n}.txt`, `${n}\n`, `Add ${n}`);
    // Replays b and c (new SHAs, post-commit fires), then stops on the failing exec; abort.
    const r = (() => {
      try {
        return git(dir, ['rebase', '-q', '--no-ff', '-x', 'false', 'HEAD~2']);
      } catch (error) {
        return String(error);
      }
    })();
    expect(r).toContain('false');
    git(dir, ['rebase', '--abort']);
    commitFile(dir, 'd.txt', 'd\n', 'Add d');
    flush(dir);
    expectExact(dir, id, ['main..HEAD']);
    expect(memoryOf(dir, id).match(/^Add b$/gm)).toHaveLength(1);
  });

  it('a commit dropped in an interactive rebase: its entry goes', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    const dropped = commitFile(dir, 'b.txt', 'b\n', 'Add b, dropped later');
    commitFile(dir, 'c.txt', 'c\n', 'Add c');
    commitFile(dir, 'd.txt', 'd\n', 'Add d');
    expect(commitRefs(dir, id)).toContain(short(dropped));
    git(dir, ['rebase', '-q', '-i', 'HEAD~3'], { GIT_SEQUENCE_EDITOR: "sed -i '/Add b, dropped later/s/^pick/drop/'" });
    commitFile(dir, 'e.txt', 'e\n', 'Add e');
    expect(clean(dir)).toBe('');
    flush(dir);
    expect(commitRefs(dir, id)).not.toContain(short(dropped));
    expectExact(dir, id, ['main..HEAD']);
  });
});

/**
 * Issue 19 item 11, the board: the reviews page shows a review (its facts and
 * its markdown), never the raw `---` front matter; the static export
 * (`board --out`) carries no absolute path of the machine it was made on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok, tempDir } from './helpers/repo.js';

const REVIEW = (id: string) => `## Summary

Greeting works; nothing proves it for \`--loud\`.

## Follow-up tasks

### loud: Test the loud greeting

- Follows: ${id}
- Reason: no test covers \`--loud\`
`;

function commitPlan(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  if (git(dir, ['status', '--porcelain'])) git(dir, ['commit', '-qm', message]);
}

describe('baton board --out', () => {
  it('renders reviews (facts and markdown, no front matter) and embeds no absolute local path', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Greet people');
    commitPlan(dir, 'plan');
    ok(dir, ['start', id, '--worktree']);
    ok(dir, ['prompt', id]);
    ok(dir, ['review', '--import', '-'], { input: REVIEW(id) });
    commitPlan(dir, 'review');
    const site = join(tempDir('baton-site-'), 'site');
    ok(dir, ['board', '--out', site]);

    const reviews = readFileSync(join(site, 'reviews.html'), 'utf8');
    expect(reviews).not.toMatch(/^---$/m);
    expect(reviews).not.toMatch(/\bfiled: \[/);
    expect(reviews).toContain('<b>R-001</b> Review R-001</summary>');
    expect(reviews).toMatch(/filed <a href="T-[0-9a-f]+\.html">T-[0-9a-f]+<\/a>/);
    expect(reviews).toContain('<code>--loud</code>');

    const home = dir.split('/').slice(0, 2).join('/'); // e.g. /tmp
    for (const page of readdirSync(site)) {
      const html = readFileSync(join(site, page), 'utf8');
      expect(html, page).not.toContain(dir);
      expect(html, page).not.toContain(`${home}/`);
    }
    const task = readFileSync(join(site, `${id}.html`), 'utf8');
    expect(task).toContain(`../${dir.split('/').pop()}.baton-worktrees/${id}-greet-people`);
  });
});

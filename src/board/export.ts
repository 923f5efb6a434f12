/** `baton board --out DIR`: the same pages as static files (no script, links relative), for CI artifacts or Pages. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { BatonError } from '../core/errors.js';
import { dirname, join, resolve } from 'node:path';
import { mainCheckoutOf } from '../git/gitdir.js';
import type { Project } from '../workspace/context.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { readBoard } from './data.js';
import { pageNames, renderPage } from './site.js';

export async function exportBoard(project: Project, outDir: string): Promise<{ dir: string; pages: string[] }> {
  const dir = resolve(outDir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new BatonError(`\`--out ${outDir}\` is a file, not a folder; nothing was written`, {
      hint: 'Give a folder for the pages (it is created when missing), e.g. `baton board --out site/`.',
    });
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new BatonError(`cannot create the folder \`${outDir}\` for the pages: ${(error as Error).message}`, {
      hint: 'Give a folder that can be created (a file in its path is in the way, or it is not writable).', cause: error,
    });
  }
  const board = await readBoard(project);
  const pages: string[] = [];
  for (const name of pageNames(board)) {
    const page = await renderPage(project, name, { live: false }, board);
    if (!page) continue;
    writeFileAtomic(join(dir, name), withoutLocalPaths(page.html, project.root));
    pages.push(name);
  }
  return { dir, pages };
}

/**
 * The pages leave this machine (a CI artifact, Pages): the folders of this
 * clone are written relative to the repository (`.git/baton/…`,
 * `../repo.baton-worktrees/…`), never as `/home/someone/…`.
 */
export function withoutLocalPaths(html: string, root: string): string {
  const main = mainCheckoutOf(root);
  const places: [string, string][] = [[main, '.'], [dirname(main), '..']];
  let out = html;
  for (const [abs, rel] of places) {
    if (abs === '/' || abs === '.') continue;
    const escaped = abs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![\\w./-])${escaped}(?=[/"'<>\\s\`),;:]|$)`, 'g'), rel);
  }
  return out;
}

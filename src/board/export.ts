/** `baton board --out DIR`: the same pages as static files (no script, links relative), for CI artifacts or Pages. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Project } from '../workspace/context.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { readBoard } from './data.js';
import { pageNames, renderPage } from './site.js';

export async function exportBoard(project: Project, outDir: string): Promise<{ dir: string; pages: string[] }> {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const board = await readBoard(project);
  const pages: string[] = [];
  for (const name of pageNames(board)) {
    const page = await renderPage(project, name, { live: false }, board);
    if (!page) continue;
    writeFileAtomic(join(dir, name), page.html);
    pages.push(name);
  }
  return { dir, pages };
}

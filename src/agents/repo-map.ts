/**
 * A compact map of an existing codebase for the planner: the file tree (folded
 * when large), the README and the manifest, each cut to a size that leaves room for the requirements.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../core/redact.js';
import { trackedFiles } from '../git/files.js';

const MANIFESTS = ['package.json', 'pyproject.toml', 'Cargo.toml', 'go.mod', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'Gemfile', 'composer.json', 'requirements.txt', 'setup.py', 'mix.exs', 'CMakeLists.txt', 'Makefile'];
const MAX_TREE_LINES = 150;

export function repoMap(root: string): string {
  const files = trackedFiles(root).filter((f) => !f.startsWith('.agents/'));
  const parts: string[] = [];
  parts.push(`## Files (${files.length} tracked)`, '', '```', tree(files), '```');
  const readme = ['README.md', 'README', 'README.rst', 'readme.md'].find((n) => files.includes(n));
  if (readme) parts.push('', `## ${readme}`, '', cut(readFileSync(join(root, readme), 'utf8'), 3000));
  for (const name of MANIFESTS.filter((m) => files.includes(m)).slice(0, 2)) {
    if (existsSync(join(root, name))) parts.push('', `## ${name}`, '', '```', cut(readFileSync(join(root, name), 'utf8'), 2000), '```');
  }
  return redact(parts.join('\n'));
}

function cut(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max)}\n… (${t.length - max} more characters)`;
}

/** One path per line, or folders with file counts when there are too many files to list. */
function tree(files: string[]): string {
  if (!files.length) return '(no files yet)';
  if (files.length <= MAX_TREE_LINES) return files.join('\n');
  for (let depth = 3; depth >= 1; depth--) {
    const counts = new Map<string, number>();
    for (const f of files) {
      const parts = f.split('/');
      const key = parts.length > depth ? `${parts.slice(0, depth).join('/')}/` : f;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (counts.size <= MAX_TREE_LINES || depth === 1) {
      return [...counts].slice(0, MAX_TREE_LINES).map(([k, n]) => (k.endsWith('/') ? `${k} (${n} files)` : k)).join('\n');
    }
  }
  return '';
}

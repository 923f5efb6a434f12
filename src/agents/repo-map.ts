/**
 * A compact map of an existing codebase for the planner: the file tree (folded
 * when large), the README, the manifest, the entry points (their first lines),
 * the tests and how they run, and the recent history, each cut so the whole
 * fits a share of the planner's budget and leaves room for the requirements.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../core/redact.js';
import { trackedFiles } from '../git/files.js';
import { gitRun } from '../git/task-branch.js';
import { AGENTS, isUnder } from '../workspace/paths.js';

const MANIFESTS = ['package.json', 'pyproject.toml', 'Cargo.toml', 'go.mod', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'Gemfile', 'composer.json', 'requirements.txt', 'setup.py', 'mix.exs', 'CMakeLists.txt', 'Makefile'];
const MAX_TREE_LINES = 150;
const ENTRY_RE = /^(src\/)?(index|main|app|cli|bin|server|lib)\.(ts|tsx|js|mjs|cjs|py|rs|go|rb|java|kt)$|^cmd\/[^/]+\/main\.go$|^src\/main\.rs$|^[^/]+\/__main__\.py$|^manage\.py$/;
const TEST_RE = /(^|\/)(test|tests|__tests__|spec|specs)\/|\.(test|spec)\.[a-z]+$|_test\.(go|py)$|(^|\/)test_[^/]+\.py$/;

export interface RepoMapOptions {
  /** The most characters the map may take (about four per token). Default 24,000. */
  maxChars?: number;
}

export function repoMap(root: string, options: RepoMapOptions = {}): string {
  const max = options.maxChars ?? 24_000;
  const files = trackedFiles(root).filter((f) => !isUnder(f, AGENTS.dir));
  const read = (name: string) => (existsSync(join(root, name)) && statSync(join(root, name)).isFile() ? readFileSync(join(root, name), 'utf8') : '');
  const parts: string[] = [];
  parts.push(`## Files (${files.length} tracked)`, '', '```', cut(tree(files), Math.floor(max * 0.25)), '```');
  const readme = ['README.md', 'README', 'README.rst', 'readme.md'].find((n) => files.includes(n));
  if (readme) parts.push('', `## ${readme}`, '', cut(read(readme), Math.floor(max * 0.15)));
  const manifests = MANIFESTS.filter((m) => files.includes(m)).slice(0, 2);
  for (const name of manifests) parts.push('', `## ${name}`, '', '```', cut(read(name), Math.floor(max * 0.08)), '```');

  const entries = entryPoints(files, read('package.json')).slice(0, 4);
  if (entries.length) {
    parts.push('', '## Entry points (first lines)');
    for (const f of entries) parts.push('', `### ${f}`, '', '```', cut(read(f).split('\n').slice(0, 40).join('\n'), Math.floor(max * 0.05)), '```');
  }
  const tests = files.filter((f) => TEST_RE.test(f));
  if (tests.length) {
    const how = testCommand(read('package.json'));
    parts.push('', `## Tests (${tests.length} files)${how ? `: run with \`${how}\`` : ''}`, '', cut(tests.slice(0, 60).join('\n'), Math.floor(max * 0.08)));
  }
  const history = recentHistory(root);
  if (history) parts.push('', '## Recent history', '', '```', cut(history, Math.floor(max * 0.08)), '```');
  return redact(cut(parts.join('\n'), max));
}

/** package.json's `main`, `bin` and `exports`, then the usual names. */
function entryPoints(files: string[], pkg: string): string[] {
  const out: string[] = [];
  try {
    const json = pkg ? (JSON.parse(pkg) as Record<string, unknown>) : {};
    const named = [json.main, ...(typeof json.bin === 'string' ? [json.bin] : Object.values((json.bin as object) ?? {}))];
    for (const n of named) {
      if (typeof n !== 'string') continue;
      const p = n.replace(/^\.\//, '');
      // A built file (dist/bin.js) has its source beside it under src/.
      const source = p.replace(/^(dist|build|lib)\//, 'src/').replace(/\.js$/, '.ts');
      for (const c of [p, source]) if (files.includes(c) && !out.includes(c)) out.push(c);
    }
  } catch {
    // A package.json that does not parse is shown as it is above; the usual names still work.
  }
  for (const f of files) if (ENTRY_RE.test(f) && !out.includes(f)) out.push(f);
  return out;
}

function testCommand(pkg: string): string | undefined {
  try {
    const scripts = (JSON.parse(pkg) as { scripts?: Record<string, string> }).scripts;
    return scripts?.test ? 'npm test' : undefined;
  } catch {
    return undefined;
  }
}

function recentHistory(root: string): string {
  const r = gitRun(root, ['log', '-n', '20', '--no-merges', '--date=short', '--format=%h %ad %s']);
  return r.code === 0 ? r.stdout.trim() : '';
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

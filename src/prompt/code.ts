/**
 * The code a pasted prompt carries with `--with-files`: the task's own files
 * first, then the files its dependencies touched, each fenced and redacted,
 * as many as the budget leaves room for (the last one cut to its first lines).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../core/redact.js';
import { branchExists, showFile } from '../git/task-branch.js';

export interface CodeFile {
  path: string;
  text: string;
}

const MAX_BYTES = 256 * 1024;

/** A file as the task's branch has it (this checkout when the file is here, else the branch tip). */
function readCode(root: string, branch: string | undefined, path: string): string | undefined {
  const abs = join(root, path);
  if (existsSync(abs) && statSync(abs).isFile() && statSync(abs).size <= MAX_BYTES) return readFileSync(abs, 'utf8');
  return branch ? showFile(root, branch, path) : undefined;
}

export function readCodeFiles(root: string, branch: string, paths: readonly string[]): CodeFile[] {
  const onBranch = branchExists(root, branch) ? branch : undefined;
  const out: CodeFile[] = [];
  for (const path of [...new Set(paths)]) {
    const text = readCode(root, onBranch, path);
    if (text === undefined || text.includes('\0') || text.length > MAX_BYTES) continue;
    out.push({ path, text: redact(text) });
  }
  return out;
}

export function fence(file: CodeFile, lines?: number): string {
  const all = file.text.replace(/\n$/, '').split('\n');
  const shown = lines === undefined ? all : all.slice(0, lines);
  const body = shown.join('\n');
  const ticks = '`'.repeat(Math.max(3, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)));
  const ext = /\.([\w]+)$/.exec(file.path)?.[1] ?? '';
  const cut = shown.length < all.length ? `\n(first ${shown.length} of ${all.length} lines)` : '';
  return `#### \`${file.path}\`\n\n${ticks}${ext}\n${body}\n${ticks}${cut}`;
}

/**
 * As many files as fit: `fits(section)` says whether the prompt with that code
 * section is within budget. A file that does not fit whole is cut to its first
 * lines (at least 10), and nothing comes after it.
 */
export function codeWithin(files: readonly CodeFile[], fits: (section: string) => boolean): string {
  const blocks: string[] = [];
  for (const f of files) {
    const whole = fence(f);
    if (fits([...blocks, whole].join('\n\n'))) {
      blocks.push(whole);
      continue;
    }
    let lo = 0;
    let hi = f.text.split('\n').length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (fits([...blocks, fence(f, mid)].join('\n\n'))) lo = mid;
      else hi = mid - 1;
    }
    if (lo >= 10) blocks.push(fence(f, lo));
    break;
  }
  return blocks.join('\n\n');
}

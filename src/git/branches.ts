/** Reading task branches without checking them out. */
import { runGit } from './run.js';
import { unmergedBranches } from './task-branch.js';

export interface BranchFile {
  branch: string;
  id: string;
  text: string;
}

/** Task branches (`<prefix>T-xxxx-…`) not merged into HEAD, with the id their name carries. */
function unmergedTaskBranches(root: string, prefix: string): { branch: string; id: string }[] {
  return unmergedBranches(root, prefix, 'HEAD')
    .map((branch) => ({ branch, id: /^(T-[0-9a-f]+)/.exec(branch.slice(prefix.length))?.[1] ?? '' }))
    .filter((b) => b.id);
}

/** `git cat-file --batch` for many `<rev>:<path>` at once; missing objects are left out. */
export async function catFiles(root: string, specs: string[]): Promise<Map<string, string>> {
  if (!specs.length) return new Map();
  return runGit(root, { args: ['cat-file', '--batch'], input: specs.map((s) => `${s}\n`).join(''), parse: (o) => parseCatFiles(o.bytes, specs) });
}

/** Which of many `<rev>:<path>` name an object in this repository (`git cat-file --batch-check`, one call). */
export function objectsPresent(root: string, specs: readonly string[]): Set<string> {
  if (!specs.length) return new Set();
  const answers = runGit(root, { args: ['cat-file', '--batch-check'], input: specs.map((s) => `${s}\n`).join(''), parse: (o) => o.stdout.split('\n') });
  return new Set(specs.filter((_, i) => !/ (missing|ambiguous)$/.test(answers[i] ?? ' missing')));
}

/** Pure: `git cat-file --batch` output → text by spec (sizes count bytes). */
export function parseCatFiles(buf: Buffer, specs: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  let pos = 0;
  for (const spec of specs) {
    const nl = buf.indexOf(10, pos);
    if (nl === -1) break;
    const header = buf.subarray(pos, nl).toString();
    pos = nl + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
    const size = Number(header.split(' ')[2]);
    result.set(spec, buf.subarray(pos, pos + size).toString('utf8'));
    pos += size + 1;
  }
  return result;
}

/** The text of each unmerged task branch's own task file. */
export async function taskFilesOnBranches(root: string, prefix: string, pathById: ReadonlyMap<string, string>): Promise<BranchFile[]> {
  const branches = unmergedTaskBranches(root, prefix).filter((b) => pathById.has(b.id));
  if (!branches.length) return [];
  const specs = branches.map((b) => `${b.branch}:${pathById.get(b.id)}`);
  const texts = await catFiles(root, specs);
  return branches.flatMap((b, i) => {
    const text = texts.get(specs[i]!);
    return text === undefined ? [] : [{ branch: b.branch, id: b.id, text }];
  });
}

/**
 * `baton doctor`: is the record in this checkout exactly the history? Stale
 * commit entries (commits no longer in HEAD's history), commits missing from
 * their memory file (by the one rule in attribution.ts, as rebuild applies it),
 * entries and files deleted (still in git history), hooks missing or pointing
 * at a baton that is gone, a `base_branch` that does not exist. `--fix` runs
 * `baton memory rebuild` and reinstalls the hooks, then checks again.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Problem } from '../core/errors.js';
import type { Config } from '../workspace/config.js';
import { gitDirOf, truncatedHistory } from '../git/gitdir.js';
import { resolveCommit } from '../git/history.js';
import { lines, runGit } from '../git/run.js';
import { localBranches } from '../git/task-branch.js';
import type { DoctorCheck } from '../workspace/context.js';
import { shortSha } from '../workspace/package.js';
import { lfText, memoryPath, parseMemory, memoryFileKind } from './file.js';
import { pendingShas } from './queue.js';
import { expectedCommits, rebuildMemory } from './rebuild.js';
import { lostEntries, memoryIdsInHistory, memoryHistory } from './restore.js';
import { strayTitles } from './titles.js';
import { FOLD_KIND, parseFold, shasOf } from './compact.js';
import { objectsPresent } from '../git/branches.js';
import { AGENTS, isUnder } from '../workspace/paths.js';

const key = (sha: string) => sha.slice(0, 7);
const fileOf = (id: string) => `.agents/memory/${id}.md`;
const REBUILD = 'Run `baton memory rebuild` (or `baton doctor --fix`) to make memory match history.';

export const recordCheck: DoctorCheck = async (project, opts = {}) => {
  const first = await findProblems(project.root, project.config);
  if (!opts.fix || !first.length) return first;
  if (first.some((p) => isUnder(p.file ?? '', AGENTS.memory))) {
    // A config.yaml doctor reports as broken stops the rebuild; the problems stay reported.
    // Entries of commits a branch or the reflog still reaches stay: the base may have been moved back, and a person decides.
    const rebuilt = await rebuildMemory(project.root, undefined, { keep: reachableAnywhere(project.root) }).then(() => true, () => false);
    if (rebuilt) opts.fixed?.push('.agents/memory: rebuilt from history (`baton memory rebuild`)');
  }
  if (first.some((p) => p.message.startsWith('hook '))) {
    const { installHooks } = await import('../git-hooks/install.js');
    await installHooks(project.root);
    opts.fixed?.push('git hooks: reinstalled');
  }
  return findProblems(project.root, project.config);
};

async function findProblems(root: string, config: Config): Promise<Problem[]> {
  const base = config.base_branch;
  if (!(await resolveCommit(root, 'HEAD'))) return [];
  const hooks = await hookProblems(root);
  const problems: Problem[] = [...baseProblems(root, base, await resolveCommit(root, base)), ...hooks.problems];
  // Compared on 7 hex digits: entries written by older versions carry 7.
  const reachable = new Set(runGit(root, { args: ['rev-list', 'HEAD'], parse: (o) => lines(o.stdout) }).map(key));
  // Queued for a branch that still exists: the next commit there writes it. A deleted branch's queue never will.
  const pending = new Set([...pendingShas(gitDirOf(root), localBranches(root))].map(key));
  const { groups, ids } = await expectedCommits(root, config);
  const inHistory = runGit(root, memoryIdsInHistory);
  // A shallow or grafted clone: a commit beyond the cut is unseen, not stale (never removed on that basis).
  const cut = truncatedHistory(root);
  let unseen = 0;
  const history = memoryHistory(root);
  let elsewhere: Set<string> | undefined;
  const links: { file: string; line?: number; spec: string; link: string }[] = [];
  for (const id of [...new Set([...ids, ...inHistory])].sort()) {
    const path = memoryPath(root, id);
    const file = fileOf(id);
    if (!existsSync(path)) {
      if (inHistory.includes(id)) {
        problems.push({ file, severity: 'warning', message: `memory file deleted (it is in git history)`, hint: REBUILD });
        continue;
      }
      if (!groups.get(id)?.length) continue;
    }
    const kind = memoryFileKind(path);
    if (kind === 'folder' || kind === 'dangling') continue; // doctor warns about it (brokenMemoryFiles)
    const text = kind === 'file' ? lfText(readFileSync(path, 'utf8')) : '';
    const entries = parseMemory(text, id).entries;
    // The commits a fold lists are recorded (memory/compact.ts).
    const present = new Set<string>();
    for (const e of entries) {
      if (e.kind === FOLD_KIND) {
        const fold = parseFold(e);
        if (fold) {
          links.push({ file, line: e.line, spec: `${fold.link}:${file}`, link: fold.link });
          for (const sha of shasOf(fold)) present.add(key(sha));
        }
        else problems.push({ file, line: e.line, severity: 'warning', message: 'a `fold` entry baton cannot read (its ref must be the commit that holds the full text)', hint: 'Restore it as `baton memory compact` wrote it: `git log -p -- ' + file + '`.' });
      }
      if (e.kind !== 'commit' || !e.ref) continue;
      present.add(key(e.ref));
      if (!reachable.has(key(e.ref)) && !pending.has(key(e.ref))) {
        if (cut) {
          unseen++;
          continue;
        }
        elsewhere ??= new Set([...reachableAnywhere(root)].map(key));
        problems.push(elsewhere.has(key(e.ref))
          ? {
            file, line: e.line, severity: 'warning',
            message: `commit \`${e.ref}\` is not in the history of HEAD, but a branch or the reflog still reaches it (was \`${base}\` moved back?)`,
            hint: `\`baton doctor --fix\` keeps this entry. Look at \`git reflog ${base}\`; if the commit was dropped on purpose, \`baton memory rebuild\` removes it.`,
          }
          : {
            file, line: e.line, severity: 'warning',
            message: `stale entry: commit \`${e.ref}\` is not in the history of HEAD (a reset, a rebase or a dropped commit)`, hint: REBUILD,
          });
      }
    }
    // Without hooks nothing records commits as they are made (`baton done` backfills): none is missing yet.
    const missing = !hooks.installed ? [] : (groups.get(id) ?? []).filter((sha) => !present.has(key(sha)) && !pending.has(key(sha)));
    if (missing.length) {
      const shown = missing.slice(0, 5).map(shortSha).join(', ') + (missing.length > 5 ? ', …' : '');
      problems.push({
        file, line: Math.max(1, text.split('\n').length - 1), severity: 'warning',
        message: `${missing.length} commit${missing.length === 1 ? '' : 's'} of HEAD's history missing from memory: ${shown}`, hint: REBUILD,
      });
    }
    for (const t of strayTitles(text)) {
      problems.push({
        file, line: t.line, severity: 'warning',
        message: 'a second title inside the entries (a line merge of two versions of this file); it reads as part of the entry above', hint: REBUILD,
      });
    }
    for (const lost of await lostEntries(root, id, text, history)) {
      problems.push({
        file, line: lost.line, severity: 'warning',
        message: `${lost.entry.kind} entry of ${lost.entry.time} deleted (line ${lost.line} in commit ${shortSha(lost.commit)})`, hint: REBUILD,
      });
    }
  }
  // A fold's link must hold the full text it stands for (a rewritten or truncated history may have lost it).
  const found = cut ? undefined : objectsPresent(root, links.map((l) => l.spec));
  for (const l of links) {
    if (!found || found.has(l.spec)) continue;
    problems.push({
      file: l.file, line: l.line, severity: 'warning',
      message: `the fold links to commit \`${l.link.slice(0, 12)}\`, which does not hold this file: the folded entries' full text is not reachable from it`,
      hint: `Find a commit that still has the full text (\`git log --all -- ${l.file}\`) and put its SHA in the fold's heading.`,
    });
  }
  if (unseen) {
    problems.push({
      severity: 'warning',
      message: `this clone is ${cut}: ${unseen} commit entr${unseen === 1 ? 'y names a commit' : 'ies name commits'} beyond its cut, which cannot be checked (they are kept, not called stale)`,
      hint: cut === 'shallow' ? 'To check them: `git fetch --unshallow`.' : 'To check them: remove `.git/info/grafts`.',
    });
  }
  return problems;
}

/** Every commit a ref or a reflog reaches (full SHAs): what `doctor --fix` must not forget. */
function reachableAnywhere(root: string): Set<string> {
  return new Set(runGit(root, { args: ['rev-list', '--all', '--reflog'], codes: [0, 128], parse: (o) => (o.code === 0 ? lines(o.stdout) : []) }));
}

function baseProblems(root: string, base: string, found: string | undefined): Problem[] {
  if (found) return [];
  const config = AGENTS.config;
  const text = existsSync(`${root}/${config}`) ? readFileSync(`${root}/${config}`, 'utf8') : '';
  const line = text.split('\n').findIndex((l) => /^base_branch\s*:/.test(l)) + 1;
  return [{
    file: config, line: line || undefined, severity: 'warning',
    message: `base_branch \`${base}\` does not exist in this repository`,
    hint: 'Set `base_branch` in .agents/config.yaml to the branch tasks start from and merge into (`git branch` lists them).',
  }];
}

async function hookProblems(root: string): Promise<{ installed: boolean; problems: Problem[] }> {
  const { hooksStatus } = await import('../git-hooks/install.js');
  const status = await hooksStatus(root);
  const ours = status.hooks.filter((h) => h.state === 'installed');
  // No baton hook at all: the project chose `--no-hooks`, and `baton done` backfills. Unless they were
  // installed and went (husky rewrote its folder): then commits go unrecorded unnoticed.
  if (status.skipped || (!ours.length && !status.wasInstalled)) return { installed: false, problems: [] };
  const problems: Problem[] = [];
  for (const h of status.hooks) {
    if (h.state === 'missing') {
      problems.push({ file: h.path, severity: 'warning', message: `hook \`${h.hook}\` is missing: its commits are not recorded`, hint: status.husky ? 'Run `baton hooks install` (or `baton doctor --fix`): under husky 9 it puts baton\'s line in the tracked `.husky/<hook>` file husky runs (commit it).' : 'Run `baton hooks install` (or `baton doctor --fix`).' });
    } else if (h.state === 'other') {
      problems.push({ file: h.path, severity: 'warning', message: `hook \`${h.hook}\` is another's, not baton's: its commits are not recorded`, hint: status.fix });
    } else if (h.state === 'installed' && h.packageFound === false) {
      problems.push({ file: h.path, line: 1, severity: 'warning', message: `hook \`${h.hook}\` is stale: the baton it points to is gone`, hint: 'Run `baton hooks install` (or `baton doctor --fix`).' });
    } else if (h.state === 'installed' && h.older) {
      problems.push({ file: h.path, line: 1, severity: 'warning', message: `hook \`${h.hook}\` is stale: it is from an older baton than this one`, hint: 'Run `baton hooks install` (or `baton doctor --fix`); any other baton command also updates it.' });
    }
  }
  return { installed: true, problems };
}

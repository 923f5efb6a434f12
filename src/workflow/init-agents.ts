/**
 * `baton init --agents claude,codex,gemini,copilot,cursor`: each agent host
 * gets a pointer to the baton section of AGENTS.md in its own instruction
 * file (between markers, replaced in place, the rest of the file kept), and
 * what it uses to call baton itself (agent-hosts.ts): slash commands, prompt
 * files, Cursor commands, a Codex section in AGENTS.md. What was installed is
 * recorded in `.agents/agent-hosts.yaml` (paths, and a hash of each whole file
 * written), so `baton init --uninstall-agents` removes exactly that: the files
 * it created and nobody changed since, its marked sections from files that
 * hold other text, and nothing else. Running either twice changes nothing.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BatonError, USAGE_EXIT } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { writeFileAtomic } from '../workspace/atomic.js';
import { AGENTS } from '../workspace/paths.js';
import { claudeCommand, codexSection, copilotPrompt, cursorCommand, geminiCommand, HOST_COMMANDS, type HostFileText } from './agent-hosts.js';

const POINTER = 'This repository plans its work with baton. Before you work on a task, read the section "Working with baton" in AGENTS.md: it says where the plan, the tasks and their memory are, and how to report.';

/** A marked section baton keeps in a file that may hold other text. */
interface Section {
  path: string;
  /** `baton` → `<!-- baton:begin -->` … `<!-- baton:end -->`. */
  marker: string;
  /** The text between the markers. */
  body: string;
  /** What a new file starts with (Cursor's rule front matter). */
  preamble?: string;
}

interface Host {
  sections: Section[];
  files: HostFileText[];
  /** What the user should know beyond the files. */
  note?: string;
}

const pointer = (path: string, body = `${POINTER}\n\n@AGENTS.md`): Section => ({ path, marker: 'baton', body });

export const AGENT_HOSTS: Record<string, Host> = {
  // Claude Code and Gemini CLI import a file named with `@`.
  claude: { sections: [pointer('CLAUDE.md')], files: HOST_COMMANDS.map(claudeCommand) },
  codex: {
    sections: [{ path: 'AGENTS.md', marker: 'baton:codex', body: codexSection() }],
    files: [],
    note: 'Codex reads AGENTS.md in every repository: the baton commands are a section there. Its custom prompts (`/prompts:…`) live only in ~/.codex/prompts, outside the repository, so baton writes none.',
  },
  gemini: { sections: [pointer('GEMINI.md')], files: HOST_COMMANDS.map(geminiCommand) },
  copilot: { sections: [pointer('.github/copilot-instructions.md', POINTER)], files: HOST_COMMANDS.map(copilotPrompt) },
  cursor: {
    sections: [{ ...pointer('.cursor/rules/baton.mdc'), preamble: '---\ndescription: How this repository plans its work with baton (AGENTS.md)\nalwaysApply: true\n---\n' }],
    files: HOST_COMMANDS.map(cursorCommand),
  },
};

/** Where init records what it installed for the agent hosts. */
export const HOSTS_RECORD = `${AGENTS.dir}/agent-hosts.yaml`;

interface Record_ {
  agents: string[];
  files: { path: string; sha256: string }[];
  sections: { path: string; marker: string; created: boolean }[];
}

/** `claude,gemini` → the agent names, checked before anything is written. */
export function parseAgents(list: readonly string[]): string[] {
  const names = list.flatMap((s) => s.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !AGENT_HOSTS[n]);
  if (unknown.length) {
    throw new BatonError(`unknown agent${unknown.length > 1 ? 's' : ''} in --agents: ${unknown.map((n) => `\`${n}\``).join(', ')}.${didYouMean(unknown[0]!, Object.keys(AGENT_HOSTS))}`, {
      hint: `Name any of ${Object.keys(AGENT_HOSTS).map((n) => `\`${n}\``).join(', ')}, separated by commas (\`--agents claude,cursor\`).`,
      exitCode: USAGE_EXIT,
    });
  }
  return [...new Set(names)];
}

const markers = (marker: string) => ({ begin: `<!-- ${marker}:begin -->`, end: `<!-- ${marker}:end -->` });

/** The file's text with the section in it (replaced in place, else appended). Pure. */
export function withSection(current: string | undefined, s: Section): string {
  const { begin, end } = markers(s.marker);
  const section = `${begin}\n${s.body}\n${end}`;
  if (current === undefined) return `${s.preamble ?? ''}${section}\n`;
  const b = current.indexOf(begin);
  const e = current.indexOf(end);
  if (b !== -1 && e > b) return current.slice(0, b) + section + current.slice(e + end.length);
  return `${current}${current === '' || current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n'}${section}\n`;
}

/** The file's text without the section (and the blank line init put before it); undefined when it has none. Pure. */
export function withoutSection(current: string, marker: string): string | undefined {
  const { begin, end } = markers(marker);
  const b = current.indexOf(begin);
  const e = current.indexOf(end);
  if (b === -1 || e < b) return undefined;
  const before = current.slice(0, b).replace(/\n\n$/, '\n');
  const after = current.slice(e + end.length).replace(/^\n/, '');
  return before + after;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function readRecord(root: string): Record_ | undefined {
  const path = join(root, HOSTS_RECORD);
  if (!existsSync(path)) return undefined;
  let data: Partial<Record_> | null;
  try {
    data = parse(readFileSync(path, 'utf8')) as Partial<Record_> | null;
  } catch (error) {
    throw new BatonError(`${HOSTS_RECORD} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { file: HOSTS_RECORD, hint: 'Fix it, or restore it from git (`git checkout -- .agents/agent-hosts.yaml`).' });
  }
  const ok = (x: unknown): x is Record_ => !!x && Array.isArray((x as Record_).agents) && Array.isArray((x as Record_).files) && Array.isArray((x as Record_).sections)
    && (x as Record_).files.every((f) => typeof f?.path === 'string' && typeof f?.sha256 === 'string')
    && (x as Record_).sections.every((s) => typeof s?.path === 'string' && typeof s?.marker === 'string');
  if (!ok(data)) throw new BatonError(`${HOSTS_RECORD} is not what baton wrote (agents, files with path and sha256, sections with path and marker)`, { file: HOSTS_RECORD, hint: 'Restore it from git (`git checkout -- .agents/agent-hosts.yaml`).' });
  // Only paths inside the repository: a hand-edited record never makes uninstall touch anything else.
  const inside = (p: string) => !p.startsWith('/') && !p.split('/').includes('..');
  const bad = [...data.files, ...data.sections].find((x) => !inside(x.path));
  if (bad) throw new BatonError(`${HOSTS_RECORD} names \`${bad.path}\`, outside the repository`, { file: HOSTS_RECORD, hint: 'Restore it from git.' });
  return data;
}

function recordText(r: Record_): string {
  return `# What \`baton init --agents\` installed for the agent hosts. \`baton init --uninstall-agents\`
# removes exactly this: these files (unless changed since), these marked sections.
${stringify(r, { lineWidth: 0 })}`;
}

export interface AgentFilesPlan {
  /** Absolute path → new text. */
  writes: Map<string, string>;
  /** Files left alone, and why. */
  kept: { path: string; why: string }[];
  notes: string[];
}

/**
 * What init writes for these agents, on top of `pending` (absolute path →
 * text init is about to write, e.g. AGENTS.md's own section). Whole files
 * are written only where there is none, or baton's own unchanged one.
 */
export function planAgentFiles(root: string, agents: readonly string[], pending: ReadonlyMap<string, string> = new Map()): AgentFilesPlan {
  const writes = new Map<string, string>();
  const kept: AgentFilesPlan['kept'] = [];
  const notes: string[] = [];
  if (!agents.length) return { writes, kept, notes };
  const before = readRecord(root);
  const record: Record_ = before ? structuredClone(before) : { agents: [], files: [], sections: [] };
  const current = (abs: string) => writes.get(abs) ?? pending.get(abs) ?? (existsSync(abs) ? readFileSync(abs, 'utf8') : undefined);
  for (const name of agents) {
    const host = AGENT_HOSTS[name]!;
    if (!record.agents.includes(name)) record.agents.push(name);
    for (const s of host.sections) {
      const abs = join(root, s.path);
      const text = current(abs);
      const next = withSection(text, s);
      if (next !== text) writes.set(abs, next);
      if (!record.sections.some((r) => r.path === s.path && r.marker === s.marker)) record.sections.push({ path: s.path, marker: s.marker, created: text === undefined });
    }
    for (const f of host.files) {
      const abs = join(root, f.path);
      const text = current(abs);
      const mine = record.files.find((r) => r.path === f.path);
      if (text !== undefined && text !== f.text && (!mine || mine.sha256 !== sha256(text))) {
        kept.push({ path: f.path, why: mine ? 'changed since baton wrote it' : 'already there and not baton\'s' });
        continue;
      }
      if (text !== f.text) writes.set(abs, f.text);
      if (mine) mine.sha256 = sha256(f.text);
      else record.files.push({ path: f.path, sha256: sha256(f.text) });
    }
    if (host.note) notes.push(host.note);
  }
  const next = recordText(record);
  const recordAbs = join(root, HOSTS_RECORD);
  if (!existsSync(recordAbs) || readFileSync(recordAbs, 'utf8') !== next) writes.set(recordAbs, next);
  return { writes, kept, notes };
}

export interface UninstallResult {
  removed: string[];
  updated: string[];
  kept: { path: string; why: string }[];
  /** Nothing was recorded: nothing to remove. */
  none: boolean;
}

/** Remove what `init --agents` recorded, and the record. */
export function uninstallAgentFiles(root: string): UninstallResult {
  const record = readRecord(root);
  const result: UninstallResult = { removed: [], updated: [], kept: [], none: !record };
  if (!record) return result;
  const dirs = new Set<string>();
  const remove = (path: string) => {
    rmSync(join(root, path), { force: true });
    result.removed.push(path);
    dirs.add(dirname(path));
  };
  for (const f of record.files) {
    const abs = join(root, f.path);
    if (!existsSync(abs)) continue;
    if (sha256(readFileSync(abs, 'utf8')) === f.sha256) remove(f.path);
    else result.kept.push({ path: f.path, why: 'changed since baton wrote it' });
  }
  // Sections of one file are taken out together (AGENTS.md can hold two of them).
  const byPath = new Map<string, Record_['sections']>();
  for (const s of record.sections) byPath.set(s.path, [...(byPath.get(s.path) ?? []), s]);
  for (const [path, sections] of byPath) {
    const abs = join(root, path);
    if (!existsSync(abs)) continue;
    const text = readFileSync(abs, 'utf8');
    let next = text;
    for (const s of sections) next = withoutSection(next, s.marker) ?? next;
    if (next === text) continue;
    const preamble = Object.values(AGENT_HOSTS).flatMap((h) => h.sections).find((s) => s.path === path)?.preamble ?? '';
    const created = sections.every((s) => s.created);
    if (created && (next.trim() === '' || next === preamble)) remove(path);
    else {
      writeFileAtomic(abs, next);
      result.updated.push(path);
    }
  }
  rmSync(join(root, HOSTS_RECORD), { force: true });
  result.removed.push(HOSTS_RECORD);
  // Folders left empty by what was removed (`.claude/commands`, `.gemini/commands/baton`), up to the root.
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    for (let d = dir; d !== '.' && d !== '' && d !== AGENTS.dir; d = dirname(d)) {
      const abs = join(root, d);
      if (!existsSync(abs) || readdirSync(abs).length) break;
      rmdirSync(abs);
    }
  }
  return result;
}

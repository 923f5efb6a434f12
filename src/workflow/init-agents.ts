/**
 * `baton init --agents claude,gemini,cursor,copilot`: each agent's own
 * instruction file points at the baton section of AGENTS.md, so an agent that
 * does not read AGENTS.md by itself still learns how this repository works.
 * Like the AGENTS.md section, the pointer sits between markers: it is replaced
 * in place on the next init, and whatever else is in the file is kept.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError, USAGE_EXIT } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

const BEGIN = '<!-- baton:begin -->';
const END = '<!-- baton:end -->';
const POINTER = 'This repository plans its work with baton. Before you work on a task, read the section "Working with baton" in AGENTS.md: it says where the plan, the tasks and their memory are, and how to report.';

interface AgentFile {
  path: string;
  /** The text between the markers. */
  body: string;
  /** What a new file starts with (Cursor's rule front matter). */
  preamble?: string;
}

export const AGENT_FILES: Record<string, AgentFile> = {
  // Claude Code and Gemini CLI import a file named with `@`.
  claude: { path: 'CLAUDE.md', body: `${POINTER}\n\n@AGENTS.md` },
  gemini: { path: 'GEMINI.md', body: `${POINTER}\n\n@AGENTS.md` },
  cursor: {
    path: '.cursor/rules/baton.mdc',
    preamble: '---\ndescription: How this repository plans its work with baton (AGENTS.md)\nalwaysApply: true\n---\n',
    body: `${POINTER}\n\n@AGENTS.md`,
  },
  copilot: { path: '.github/copilot-instructions.md', body: POINTER },
};

/** `claude,gemini` → the agent names, checked before anything is written. */
export function parseAgents(list: readonly string[]): string[] {
  const names = list.flatMap((s) => s.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !AGENT_FILES[n]);
  if (unknown.length) {
    throw new BatonError(`unknown agent${unknown.length > 1 ? 's' : ''} in --agents: ${unknown.map((n) => `\`${n}\``).join(', ')}.${didYouMean(unknown[0]!, Object.keys(AGENT_FILES))}`, {
      hint: `Name any of ${Object.keys(AGENT_FILES).map((n) => `\`${n}\``).join(', ')}, separated by commas (\`--agents claude,cursor\`).`,
      exitCode: USAGE_EXIT,
    });
  }
  return [...new Set(names)];
}

/** The new text of an agent's file, or undefined when it already says it. */
export function withPointer(current: string | undefined, file: AgentFile): string | undefined {
  const section = `${BEGIN}\n${file.body}\n${END}`;
  if (current === undefined) return `${file.preamble ?? ''}${section}\n`;
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  const next = begin !== -1 && end > begin
    ? current.slice(0, begin) + section + current.slice(end + END.length)
    : `${current}${current === '' || current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n'}${section}\n`;
  return next === current ? undefined : next;
}

/** Files to write (absolute path → text) for these agents. */
export function agentPointerFiles(root: string, agents: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of agents) {
    const file = AGENT_FILES[name]!;
    const abs = join(root, file.path);
    const next = withPointer(existsSync(abs) ? readFileSync(abs, 'utf8') : undefined, file);
    if (next !== undefined) files.set(abs, next);
  }
  return files;
}

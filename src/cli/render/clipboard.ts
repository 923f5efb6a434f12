/**
 * Copy text to the system clipboard through whichever tool this machine has.
 * No dependency: the same commands a person would type.
 */
import { spawnSync } from 'node:child_process';
import { BatonError } from '../../core/errors.js';
import { onPath } from '../../workspace/on-path.js';

export interface ClipboardTool {
  command: string;
  args: string[];
}

/** In order of preference; the first one found on PATH is used. */
export const CLIPBOARD_TOOLS: ClipboardTool[] = [
  { command: 'pbcopy', args: [] },
  { command: 'wl-copy', args: [] },
  { command: 'xclip', args: ['-selection', 'clipboard'] },
  { command: 'xsel', args: ['--clipboard', '--input'] },
  { command: 'clip.exe', args: [] },
];

export function findClipboardTool(path = process.env.PATH ?? ''): ClipboardTool | undefined {
  return CLIPBOARD_TOOLS.find((t) => onPath(t.command, path));
}

/** The tool to use, or a BatonError naming them all (call it before doing work that copying would finish). */
export function requireClipboardTool(): ClipboardTool {
  const tool = findClipboardTool();
  if (tool) return tool;
  throw new BatonError('no clipboard tool found', {
    hint: `Install one of ${CLIPBOARD_TOOLS.map((t) => `\`${t.command}\``).join(', ')}, or use \`--out FILE\` or plain stdout instead.`,
  });
}

/** Copy `text`; returns the command used. Throws a BatonError naming the tools when none is installed. */
export function copyToClipboard(text: string): string {
  const tool = requireClipboardTool();
  // xclip and xsel fork a process that serves the selection: its output must not be
  // a pipe we wait on, or we would wait until the clipboard changes hands.
  const r = spawnSync(tool.command, tool.args, { input: text, stdio: ['pipe', 'ignore', 'ignore'] });
  if (r.error || r.status !== 0) {
    throw new BatonError(`\`${tool.command}\` could not copy to the clipboard (${r.error?.message ?? `exit ${r.status}`})`, {
      hint: 'Use `--out FILE` or plain stdout instead.',
    });
  }
  return tool.command;
}

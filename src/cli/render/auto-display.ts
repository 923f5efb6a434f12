/**
 * The live view of `baton auto`: on a terminal, one line per task redrawn in
 * place (waiting, running, checking, merged, failed); otherwise one plain
 * line per change, which reads well in CI logs and files.
 */
import { forTerminal } from '../../core/terminal.js';
import type { Display, TaskState } from '../../workflow/auto-events.js';

const MARK: Record<TaskState, string> = {
  waiting: '·', starting: '>', running: '>', checking: '?', logging: '>', merging: '>',
  merged: '✓', done: '✓', failed: '✗', partial: '~', interrupted: '!', skipped: '-',
};

/** A title or detail on one terminal line: its control characters shown, never run (a newline would also break the redraw count). */
function oneLine(text: string): string {
  return forTerminal(text).replace(/[\n\t]+/g, ' ');
}

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

export function plainDisplay(write: (s: string) => void): Display {
  const last = new Map<string, string>();
  return {
    task(id, title, state, detail) {
      const line = `${state}${detail ? ` (${detail})` : ''}`;
      if (last.get(id) === line) return;
      last.set(id, line);
      write(`${clock()} ${id} ${state.padEnd(11)} ${oneLine(title)}${detail ? ` — ${oneLine(detail)}` : ''}\n`);
    },
    note(text) {
      write(`${clock()} ${forTerminal(text)}\n`);
    },
    close() {},
  };
}

/** Redraws the task lines in place; notes scroll above them. */
export function ttyDisplay(write: (s: string) => void, columns: () => number): Display {
  const rows = new Map<string, { title: string; state: TaskState; detail?: string; since: number }>();
  let drawn = 0;
  const started = Date.now();
  const fit = (s: string) => (s.length > columns() - 1 ? `${s.slice(0, columns() - 2)}…` : s);
  const render = () => {
    let out = drawn ? `\x1b[${drawn}A\r\x1b[J` : '';
    const lines: string[] = [];
    for (const [id, r] of rows) {
      const secs = Math.round((Date.now() - r.since) / 1000);
      const live = ['running', 'checking', 'starting', 'merging', 'logging'].includes(r.state) ? ` ${secs}s` : '';
      lines.push(fit(`${MARK[r.state]} ${id} ${(r.state + live).padEnd(14)} ${r.title}${r.detail ? ` — ${r.detail}` : ''}`));
    }
    lines.push(`  ${Math.round((Date.now() - started) / 1000)}s elapsed · Ctrl-C stops (run \`baton auto\` again to resume)`);
    out += lines.join('\n') + '\n';
    drawn = lines.length;
    write(out);
  };
  const timer = setInterval(render, 1000);
  timer.unref();
  return {
    task(id, title, state, detail) {
      const r = rows.get(id);
      rows.set(id, { title: oneLine(title), state, detail: detail === undefined ? undefined : oneLine(detail), since: r && r.state === state ? r.since : Date.now() });
      render();
    },
    note(text) {
      if (drawn) write(`\x1b[${drawn}A\r\x1b[J`);
      drawn = 0;
      write(`${forTerminal(text)}\n`);
      render();
    },
    close() {
      clearInterval(timer);
      render();
    },
  };
}

/**
 * A one-line spinner on stderr while a model call runs, for people at a
 * terminal; silent with `--json` or when stderr is not a TTY. Retry and
 * repair notices are printed as lines (except with `--json`) since they explain a wait.
 */
import type { Progress } from '../../llm/client.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Spinner {
  onProgress: (p: Progress) => void;
  stop: () => void;
}

export function spinner(opts: { json?: boolean; stream?: NodeJS.WriteStream } = {}): Spinner {
  const stream = opts.stream ?? process.stderr;
  const animate = !opts.json && stream.isTTY === true;
  let label = '';
  let started = Date.now();
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => animate && stream.write('\r\x1b[K');
  const draw = () => {
    const secs = Math.floor((Date.now() - started) / 1000);
    stream.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${label} · ${secs}s`);
  };
  return {
    onProgress: (p) => {
      if (p.kind === 'call') {
        label = `waiting for ${p.message}`;
        started = Date.now();
        if (animate && !timer) {
          timer = setInterval(draw, 100);
          timer.unref();
        }
        return;
      }
      if (p.kind === 'done') return;
      if (opts.json) return;
      clear();
      stream.write(`baton: ${p.message}\n`);
    },
    stop: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}

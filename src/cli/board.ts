import { spawn } from 'node:child_process';
import { BatonError } from '../core/errors.js';
import { openProject } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { cwdOf, err, out } from './output.js';

export default defineCommand({
  command: 'board',
  describe: 'The plan, work in flight and memory as a live local web page (or static files with --out)',
  options: {
    port: { type: 'number', min: 0, describe: 'Port on 127.0.0.1 (default: a free one)' },
    open: { type: 'boolean', default: true, describe: 'Open the browser (--no-open to only print the URL)' },
    write: { type: 'boolean', default: false, describe: 'Allow status changes and task edits from the page' },
    out: { type: 'string', describe: 'Write the pages as static files to this folder and exit' },
  },
  examples: [
    ['$0 board', 'open the live board in the browser'],
    ['$0 board --no-open --port 8080', 'serve it on 127.0.0.1:8080 and only print the URL'],
    ['$0 board --out site/', 'static pages for a CI artifact or GitHub Pages'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    if (argv.out !== undefined) {
      if (argv.write) throw new BatonError('`--write` needs the live board', { hint: 'Drop `--write` with `--out`: static pages cannot change anything.' });
      const { exportBoard } = await import('../board/export.js');
      const r = await exportBoard(project, argv.out);
      return out(`Wrote ${r.pages.length} pages to ${r.dir} (open index.html)`);
    }
    if (argv.port !== undefined && (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535)) {
      throw new BatonError(`\`--port\` must be a whole number from 0 to 65535, got ${String(argv.port)}`, { hint: 'Leave it out to use a free port.' });
    }
    const { startBoard } = await import('../board/server.js');
    const board = await startBoard(project, { port: argv.port, write: argv.write });
    out(`baton board: ${board.url}${argv.write ? ' (--write: the page can change tasks)' : ' (read-only)'}\nPress Ctrl+C to stop.`);
    if (argv.open) openBrowser(board.url);
    await new Promise<void>((resolve) => {
      const stop = () => void board.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
});

/** Best effort: the URL is printed either way. */
function openBrowser(url: string): void {
  const [cmd, ...args] = process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url] : ['xdg-open', url];
  try {
    const child = spawn(cmd!, args, { stdio: 'ignore', detached: true });
    child.on('error', () => err(`Could not open a browser; open ${url} yourself.`));
    child.unref();
  } catch {
    err(`Could not open a browser; open ${url} yourself.`);
  }
}

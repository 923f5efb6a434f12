// `baton mcp` start-up: from spawning the server to its answer to `initialize`, against `node -e 0`
// and against a bare node that only imports the SDK's server modules (the floor any SDK server pays).
import { spawn } from 'node:child_process';

const INIT = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`;

/** Milliseconds from spawn to the first line on stdout (the `initialize` answer); the process is then stopped. */
function timeToAnswer(cmd, args, cwd, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('\n')) return;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (!out.includes('"serverInfo"')) reject(new Error(`unexpected answer: ${out}`));
      child.stdin.end();
      child.kill();
      resolve(ms);
    });
    child.on('exit', (code) => { if (!out) reject(new Error(`exited ${code} before answering: ${err}`)); });
    child.stdin.write(INIT);
  });
}

function timeToExit(cmd, args, cwd, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, env, stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * { nodeMs, sdkMs, mcpMs }: medians of `runs` rounds. The three are measured in turn within each
 * round, so a busy machine slows all three alike instead of whichever ran during the burst.
 */
export async function benchMcp({ bin, root, repo, env, runs }) {
  const sdk = "await import('@modelcontextprotocol/sdk/server/mcp.js'); await import('@modelcontextprotocol/sdk/server/stdio.js');";
  const node = [], floor = [], mcp = [];
  for (let i = 0; i <= runs; i++) {
    const round = [
      await timeToExit(process.execPath, ['-e', '0'], root, env),
      await timeToExit(process.execPath, ['--input-type=module', '-e', sdk], root, env),
      await timeToAnswer(process.execPath, [bin, 'mcp'], repo, env),
    ];
    if (i === 0) continue; // the first round warms the file cache
    node.push(round[0]);
    floor.push(round[1]);
    mcp.push(round[2]);
  }
  return { nodeMs: median(node), sdkMs: median(floor), mcpMs: median(mcp) };
}

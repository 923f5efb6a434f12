/** `baton plan --from REQUIREMENTS.md` in a new project against a scripted endpoint: what it printed, and the files before. */
import { batonAsync, makeProject, snapshotFiles, write, type RunResult } from './repo.js';
import { modelEnv, startChatServer, type ChatServer, type Step } from './chat-server.js';
import { REQUIREMENTS } from './model-answers.js';

export async function planRun(script: Step[], env: Record<string, string> = {}, args: string[] = []): Promise<{ dir: string; before: Record<string, string>; r: RunResult; server: ChatServer }> {
  const server = await startChatServer(script);
  const dir = makeProject();
  write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
  const before = snapshotFiles(dir);
  const r = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md', ...args], { env: modelEnv(server, env) });
  return { dir, before, r, server };
}

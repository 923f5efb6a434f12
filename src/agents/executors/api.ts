/**
 * The `api` executor: the implementer model, through the OpenAI-compatible
 * client, gets the task prompt and the files it names (or asks for) and
 * answers with edits. baton applies them in the worktree; edits that do not
 * apply go back to the model with the error, a bounded number of times.
 */
import { roleSettings } from '../../llm/settings.js';
import type { Config } from '../../workspace/config.js';
import { applyEdits, EditError, fileContents, parseEdits } from '../edits.js';
import type { ExecuteInput, ExecuteResult, Executor } from './types.js';

export const API_INSTRUCTIONS = `You are an implementation agent. You cannot run commands; you change the repository by answering with edits, which baton applies and commits for you.

Write each edit as a fenced block:
- a whole file (new or replaced): a block whose info string is \`file <path>\`, holding the complete new content;
- a change to an existing file: a \`diff\` block holding a unified diff (\`--- a/<path>\`, \`+++ b/<path>\`, \`@@ -l,n +l,n @@\` hunks with context lines);
- a deleted file: an empty block with the info string \`delete <path>\`.
If the file holds a line of three backticks, open and close its block with four.
Paths are relative to the repository root. Never edit \`.git/\` or \`.agents/memory/\`.

If you must read files before you can edit, answer only with a \`need\` block listing their paths, one a line.

After the edits, write your report in the format the task asks for (Outcome, Summary, Decisions, Bugs, Blockers, Notes). Be honest: the task's checks are run after your edits and decide whether it succeeded.`;

const MAX_FILE_REQUESTS = 2;

export function apiExecutor(config: Config, role: string): Executor {
  return {
    name: 'api',
    preflight: (env) => void roleSettings(config, role, env),
    execute: (input) => runApi(role, input),
  };
}

async function runApi(role: string, input: ExecuteInput): Promise<ExecuteResult> {
  // Loaded here so that command executors never load the SDK.
  const { createModel } = await import('../../llm/index.js');
  const model = createModel(input.config, role, { env: input.env ?? process.env, signal: input.signal });
  const cfg = input.config.models[role] as unknown as Record<string, unknown> | undefined;
  const maxFixes = typeof cfg?.max_edit_retries === 'number' ? cfg.max_edit_retries : 2;
  const named = input.task.files.length ? `\n\n# The files this task names\n\n${fileContents(input.cwd, input.task.files)}` : '';
  const messages: { role: 'system' | 'user' | 'assistant'; content: string }[] = [
    { role: 'system', content: API_INSTRUCTIONS },
    { role: 'user', content: `${input.prompt}${named}` },
  ];
  const usage = { role, model: model.settings.model, promptTokens: 0, completionTokens: 0, calls: 0, costUsd: 0 as number | undefined, purpose: `run ${input.task.id}` };
  let requests = 0;
  let fixes = 0;
  const finish = (result: ExecuteResult): ExecuteResult => {
    return { ...result, costUsd: usage.costUsd ?? 0, ...(usage.calls ? { usage } : {}) };
  };
  for (;;) {
    input.onProgress?.(fixes ? `fixing edits (${fixes}/${maxFixes})` : 'asking the model');
    let text: string;
    try {
      const res = await model.chatText({ messages });
      text = res.value;
      usage.promptTokens += res.usage.promptTokens;
      usage.completionTokens += res.usage.completionTokens;
      usage.calls += res.usage.calls;
      usage.costUsd = res.costUsd === undefined || usage.costUsd === undefined ? undefined : usage.costUsd + res.costUsd;
    } catch (error) {
      const interrupted = input.signal?.aborted === true;
      // A refused answer (a refusal, a content filter) was billed: counted like the others.
      const lost = (error as { usage?: typeof usage }).usage;
      if (lost) {
        usage.promptTokens += lost.promptTokens;
        usage.completionTokens += lost.completionTokens;
        usage.calls += lost.calls;
        usage.costUsd = lost.costUsd === undefined || usage.costUsd === undefined ? undefined : usage.costUsd + lost.costUsd;
      }
      return finish({ report: '', failure: (error as Error).message, interrupted });
    }
    const parsed = parseEdits(text);
    messages.push({ role: 'assistant', content: text });
    if (parsed.requests.length && !parsed.edits.length && requests < MAX_FILE_REQUESTS) {
      requests++;
      messages.push({ role: 'user', content: `Here are the files you asked for.\n\n${fileContents(input.cwd, parsed.requests)}\n\nNow answer with your edits and your report.` });
      continue;
    }
    let problem = parsed.problems[0];
    let changed: string[] = [];
    let badPath: string | undefined;
    if (!problem) {
      try {
        input.onProgress?.('applying edits');
        changed = applyEdits(input.cwd, parsed.edits);
      } catch (error) {
        if (!(error instanceof EditError)) throw error;
        problem = error.message;
        badPath = error.path;
      }
    }
    if (!problem) return finish({ report: parsed.prose || text, changed });
    if (fixes >= maxFixes) {
      return finish({ report: parsed.prose || text, failure: `the model's edits did not apply after ${fixes + 1} tries: ${problem}` });
    }
    fixes++;
    const current = badPath && !/^refused/.test(problem) ? `\n\nThe file as it is now:\n\n${fileContents(input.cwd, [badPath])}` : '';
    messages.push({
      role: 'user',
      content: `Your edits were not applied (nothing was changed): ${problem}${current}\n\nAnswer again with all of your edits, corrected, and your report.`,
    });
  }
}

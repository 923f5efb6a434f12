/** What `plan` and `review` share at the command line: reading inputs, Ctrl-C, the spinner, printing a prompt. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BatonError } from '../core/errors.js';
import type { ModelOptions } from '../llm/client.js';
import { err, out } from './output.js';

/** Read FILE, or stdin for `-`, with an error that names the file. */
export async function readInput(cwd: string, file: string, what: string): Promise<{ text: string; source: string }> {
  // Streamed, not readFileSync(0): that throws EAGAIN when stdin is a pipe whose writer is not done yet.
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), source: 'stdin' };
  }
  try {
    return { text: readFileSync(resolve(cwd, file), 'utf8'), source: file };
  } catch (error) {
    throw new BatonError(`cannot read ${what} \`${file}\`: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'Check the path (it is relative to the current folder).', cause: error,
    });
  }
}

/** Run a model call with Ctrl-C wired to abort it and a spinner while it waits. */
export async function withModel<T>(json: boolean, run: (opts: ModelOptions) => Promise<T>): Promise<T> {
  const { spinner } = await import('./render/progress.js');
  const spin = spinner({ json });
  const controller = new AbortController();
  const onInt = () => controller.abort();
  process.once('SIGINT', onInt);
  try {
    return await run({ env: process.env, signal: controller.signal, onProgress: spin.onProgress });
  } finally {
    spin.stop();
    process.removeListener('SIGINT', onInt);
  }
}

/** `--prompt [--copy]`: print the prompt, or copy it and say so on stderr. */
export async function emitPrompt(text: string, copy: boolean): Promise<void> {
  if (!copy) return out(text);
  const { copyToClipboard } = await import('./render/clipboard.js');
  const tool = copyToClipboard(text);
  err(`Copied the prompt (${text.length} characters) with \`${tool}\`. Paste it into a chat, save the answer, then run the same command with \`--import FILE\`.`);
}

export function usageText(u: { role: string; model: string; promptTokens: number; completionTokens: number; costUsd?: number; calls: number }): string {
  const cost = u.costUsd === undefined ? 'cost unknown (no price for this model)' : `$${u.costUsd.toFixed(4)}`;
  return `${u.role} ${u.model}: ${u.promptTokens} prompt + ${u.completionTokens} completion tokens, ${cost}`;
}

/**
 * Reading agent CLIs' JSON: the shapes seen from the real CLIs (test/agent-clis.test.ts runs them),
 * including the ones the suite cannot provoke quickly: qwen's 429 reported as a success, codex's
 * event stream. And `baton executors check` against stand-in programs on PATH.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAgentOutput } from '../src/agents/executors/agent-output.js';
import { addTask, baton, git, makeProject, read, tempDir, write } from './helpers/repo.js';

describe('reading what an agent CLI said', () => {
  it('claude: the result is the text, is_error with api_error_status 401/429 is auth/limit, tokens with its cost', () => {
    const ok = JSON.stringify({ type: 'result', is_error: false, result: '## Outcome\nsuccess', num_turns: 2, total_cost_usd: 0.01, usage: { input_tokens: 2000, cache_read_input_tokens: 500, output_tokens: 100 }, modelUsage: { 'claude-sonnet-4-5': {} } });
    expect(readAgentOutput('claude-json', ok, '', 0)).toEqual({
      text: '## Outcome\nsuccess',
      usage: { model: 'claude-sonnet-4-5', promptTokens: 2500, completionTokens: 100, costUsd: 0.01, calls: 2 },
    });
    const denied = JSON.stringify({ type: 'result', is_error: true, api_error_status: 401, result: 'Invalid API key · Fix external API key' });
    expect(readAgentOutput('claude-json', denied, '', 1).error).toEqual({ kind: 'auth', message: 'Invalid API key · Fix external API key' });
    const limited = JSON.stringify({ type: 'result', is_error: true, result: "You've hit your 5-hour limit · resets 3pm" });
    expect(readAgentOutput('claude-json', limited, '', 1).error?.kind).toBe('limit');
  });

  it('qwen: an API error in the text of a "successful" result is an error, not the report', () => {
    const said = JSON.stringify([
      { type: 'system', subtype: 'init', model: 'qwen3-coder-plus' },
      { type: 'result', is_error: false, result: '[API Error: 429 Rate limit reached for requests]', num_turns: 1, usage: { input_tokens: 0, output_tokens: 0 } },
    ]);
    expect(readAgentOutput('qwen-json', said, '', 0)).toEqual({ error: { kind: 'limit', message: '[API Error: 429 Rate limit reached for requests]' } });
  });

  it('gemini: the error JSON on stderr after a stack trace, with the API body inside its message', () => {
    const stderr = `Error when talking to Gemini API\n    at async Turn.run (file:///x.js:1:1) {\n  status: 401\n}\n${JSON.stringify({ session_id: 's', error: { type: 'Error', message: JSON.stringify({ error: { code: 401, message: 'API key not valid.', status: 'UNAUTHENTICATED' } }), code: 401 } }, null, 2)}\n`;
    expect(readAgentOutput('gemini-json', '', stderr, 145).error).toEqual({ kind: 'auth', message: 'API key not valid.' });
    const quota = `${JSON.stringify({ error: { type: 'Error', message: 'Quota exceeded: RESOURCE_EXHAUSTED', code: 429 } }, null, 2)}\n`;
    expect(readAgentOutput('gemini-json', '', quota, 173).error?.kind).toBe('limit');
  });

  it('codex: the last agent message is the text, turn.completed has the tokens, turn.failed the error', () => {
    const lines = [
      { type: 'thread.started', thread_id: 't' },
      { type: 'item.completed', item: { id: 'i0', type: 'agent_message', text: 'Done: wrote a.txt' } },
      { type: 'turn.completed', usage: { input_tokens: 1200, cached_input_tokens: 0, output_tokens: 80 } },
    ].map((l) => JSON.stringify(l)).join('\n');
    expect(readAgentOutput('codex-jsonl', lines, '', 0)).toEqual({ text: 'Done: wrote a.txt', usage: { model: 'codex', promptTokens: 1200, completionTokens: 80, calls: 1 } });
    const failed = JSON.stringify({ type: 'turn.failed', error: { message: 'unexpected status 401 Unauthorized' } });
    expect(readAgentOutput('codex-jsonl', failed, '', 1).error?.kind).toBe('auth');
  });

  it('garbage, or nothing: no text, no error, no usage; a non-zero exit with a 429 on stderr is a limit', () => {
    expect(readAgentOutput('claude-json', 'not json {', '', 0)).toEqual({});
    expect(readAgentOutput('codex-jsonl', '', 'ERROR: exceeded retry limit, last status: 429 Too Many Requests', 1).error?.kind).toBe('limit');
  });
});

describe('baton executors check', () => {
  it('says per preset whether its CLI is installed, its version, and whether the tests cover that version', () => {
    const bin = tempDir('baton-bin-');
    write(bin, 'claude', '#!/bin/sh\necho "2.1.332 (Claude Code)"\n');
    write(bin, 'qwen', '#!/bin/sh\necho 0.1.0\n');
    for (const f of ['claude', 'qwen']) chmodSync(join(bin, f), 0o755);
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const r = baton(bin, ['executors', 'check', '--json'], { env });
    expect(r.code).toBe(0);
    const byName = Object.fromEntries((JSON.parse(r.stdout) as { executors: { name: string; installed: boolean; version?: string; covered: boolean }[] }).executors.map((e) => [e.name, e]));
    expect(byName.claude).toMatchObject({ installed: true, version: '2.1.332', covered: true });
    expect(byName.qwen).toMatchObject({ installed: true, version: '0.1.0', covered: false });
    expect(byName.codex).toMatchObject({ installed: false, covered: false });
    const text = baton(bin, ['executors', 'check'], { env }).stdout;
    expect(text).toMatch(/qwen\s+yes\s+0\.1\.0\s+0\.24\.4 \(not this one\)/);
    expect(text).toMatch(/codex\s+no \(npm install -g @openai\/codex\)/);
    // Asked for by name and missing: exit 1.
    expect(baton(bin, ['executors', 'check', 'codex'], { env }).code).toBe(1);
    expect(baton(bin, ['executors', 'check', 'nope'], { env }).stderr).toContain('unknown executor `nope`');
  });
});

describe('an `executors:` entry with an `output` baton cannot read', () => {
  it('is refused before anything starts, naming the file and the formats', () => {
    const dir = makeProject();
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}\nexecutors:\n  mine:\n    command: "true"\n    output: xml\n`);
    const id = addTask(dir, 'Anything');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const r = baton(dir, ['run', id, '--executor', 'mine']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('executor `mine`: unknown `output: xml`');
    expect(r.stderr).toContain('.agents/config.yaml');
    expect(r.stderr).toContain('`claude-json`');
    expect(git(dir, ['branch', '--list', 'task/*'])).toBe('');
  });
});

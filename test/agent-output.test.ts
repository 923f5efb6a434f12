/**
 * Reading agent CLIs' JSON: the shapes seen from the real CLIs (test/agent-clis.test.ts runs them),
 * including the ones the suite cannot provoke quickly: qwen's 429 reported as a success, codex's
 * event stream. And `baton executors check` against stand-in programs on PATH.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAgentOutput } from '../src/agents/executors/agent-output.js';
import { limitResetAt } from '../src/agents/executors/limit-reset.js';
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

describe('when a limit ends, read from the agent\'s words', () => {
  const now = new Date('2026-12-06T13:20:00Z');
  const at = (text: string) => limitResetAt(text, now)?.toISOString();

  it('each provider\'s way of naming the reset; nothing believable is no time (a backoff instead)', () => {
    // Claude's usage limits: a clock time in a named zone (the next one), or Unix seconds.
    expect(at("You've hit your 5-hour limit ∙ resets 3pm (UTC)")).toBe('2026-12-06T15:00:00.000Z');
    expect(at('5-hour limit reached · resets 3:30pm (Europe/Paris)')).toBe('2026-12-06T14:30:00.000Z');
    expect(at('limit reached ∙ resets 9am (UTC)')).toBe('2026-12-07T09:00:00.000Z');
    // codex, in the process's own zone: the next 3:05 PM there.
    const local = new Date(2026, 11, 6, 15, 5);
    const next = local > now ? local : new Date(2026, 11, 7, 15, 5);
    expect(at('You\'ve hit your usage limit. Try again at 3:05 PM.')).toBe(next.toISOString());
    // codex when the reset falls on another day (late in the evening): the date and the time, in the process's zone.
    expect(at('You’ve hit your usage limit. Upgrade to Pro or try again at Dec 7th, 2026 12:11 AM.')).toBe(new Date(2026, 11, 7, 0, 11).toISOString());
    expect(at('limit reached ∙ resets Dec 8 at 3pm (Europe/Paris)')).toBe('2026-12-08T14:00:00.000Z');
    expect(at('resets Dec 10th, 9:30 AM (UTC)')).toBe('2026-12-10T09:30:00.000Z');
    expect(at('try again at Dec 1st, 2026 9:00 AM')).toBeUndefined(); // past
    expect(at('Claude AI usage limit reached|1796572800')).toBe('2026-12-06T16:00:00.000Z');
    // Gemini's RetryInfo and its text; qwen's quota text; a plain Retry-After.
    const body = JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }] } });
    expect(at(body)).toBe('2026-12-06T13:20:37.000Z');
    expect(at('Quota exceeded. Please retry in 7200s.')).toBe('2026-12-06T15:20:00.000Z');
    expect(at('Quota exceeded for this API key; it will reset at 2026-12-07T01:00:00Z')).toBe('2026-12-07T01:00:00.000Z');
    expect(at('429 Too Many Requests. Retry-After: 120')).toBe('2026-12-06T13:22:00.000Z');
    expect(at('Rate limit reached, try again in 20 minutes')).toBe('2026-12-06T13:40:00.000Z');
    // No time, a time past, one absurdly far, an unknown zone: none.
    expect(at('Rate limit reached: usage limit, try again later')).toBeUndefined();
    expect(at('resets at 2026-12-01T00:00:00Z')).toBeUndefined();
    expect(at('retry in 99999999s')).toBeUndefined();
    expect(at('resets 3pm (Mars/Olympus)')).toBeUndefined();
  });

  it('reaches the error read from each CLI\'s output', () => {
    const claude = JSON.stringify({ type: 'result', is_error: true, api_error_status: 429, result: 'API Error: Request rejected (429) · 5-hour limit reached ∙ resets 3pm (UTC)' });
    expect(readAgentOutput('claude-json', claude, '', 1, undefined, now).error?.resetAt?.toISOString()).toBe('2026-12-06T15:00:00.000Z');
    const gemini = `    at async main (file:///x.js:1:1)\n{\n  "error": {\n    "type": "Error",\n    "message": "Quota exceeded. Please retry in 60s.\\nSuggested retry after 60s.",\n    "code": 429\n  }\n}`;
    expect(readAgentOutput('gemini-json', '', gemini, 173, undefined, now).error).toMatchObject({ kind: 'limit', resetAt: new Date('2026-12-06T13:21:00Z') });
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

describe('how many agents of one executor run at once', () => {
  it('`executors.<name>.max_concurrent` and `--max-concurrent-per-executor` refuse a bad value, naming it, before anything starts', () => {
    const dir = makeProject();
    addTask(dir, 'Anything');
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}\nexecutors:\n  claude:\n    max_concurrent: 0\n`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const bad = baton(dir, ['auto']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\.agents\/config\.yaml:\d+.*`executors\.claude\.max_concurrent` must be a whole number \(1 or more\), got 0/s);
    const flag = baton(dir, ['auto', '--max-concurrent-per-executor', '0']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--max-concurrent-per-executor');
    expect(git(dir, ['branch', '--list', 'task/*'])).toBe('');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });
});

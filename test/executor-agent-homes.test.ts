/**
 * The codex and opencode presets' parts that need no real CLI: their event streams read right
 * (codex's passing errors are no failures), what baton writes to point each at an endpoint (offline,
 * codex without retries), and a bad endpoint refused before anything starts.
 * test/agent-cli-codex.test.ts and test/agent-cli-opencode.test.ts run the real ones.
 */
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { readAgentOutput } from '../src/agents/executors/agent-output.js';
import { codexHome, copilotHome, opencodeHome } from '../src/agents/executors/agent-home.js';
import { addTask, baton, git, makeProject } from './helpers/repo.js';

const jsonl = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n');

describe('codex --json', () => {
  it('a "Reconnecting…" error its turn recovered from is no failure; the tokens are priced as the model baton configured', () => {
    const said = jsonl([
      { type: 'thread.started', thread_id: 't' },
      { type: 'error', message: 'Reconnecting... 1/5 (stream disconnected before completion)' },
      { type: 'item.completed', item: { id: 'i0', type: 'error', message: 'Model metadata for `x` not found.' } },
      { type: 'item.completed', item: { id: 'i1', type: 'agent_message', text: 'Wrote a.txt' } },
      { type: 'turn.completed', usage: { input_tokens: 2000, cached_input_tokens: 500, output_tokens: 100 } },
    ]);
    expect(readAgentOutput('codex-jsonl', said, '', 0, 'gpt-5.5')).toEqual({ text: 'Wrote a.txt', usage: { model: 'gpt-5.5', promptTokens: 2000, completionTokens: 100, calls: 1 } });
  });

  it('the failed turn\'s words decide: a usage limit pauses, a 401 after retries stops', () => {
    const limit = jsonl([
      { type: 'error', message: 'Reconnecting... 1/5 (unexpected status 500)' },
      { type: 'turn.failed', error: { message: 'You’ve hit your usage limit. Try again at 9:24 PM.' } },
    ]);
    const limited = readAgentOutput('codex-jsonl', limit, '', 1).error;
    expect(limited).toMatchObject({ kind: 'limit', message: 'You’ve hit your usage limit. Try again at 9:24 PM.' });
    // The time it names ends the executor's pause (limit-reset.ts): the next 9:24 PM, local time.
    expect([limited?.resetAt?.getHours(), limited?.resetAt?.getMinutes()]).toEqual([21, 24]);
    const denied = jsonl([{ type: 'error', message: 'unexpected status 401 Unauthorized: invalid key' }]);
    expect(readAgentOutput('codex-jsonl', denied, '', 1).error?.kind).toBe('auth');
  });
});

describe('opencode run --format json', () => {
  it('the text of its last message is the answer; its steps\' tokens are summed; an error event is classified by its status', () => {
    const step = (messageID: string, input: number) => ({ type: 'step_finish', part: { messageID, tokens: { input, output: 50, reasoning: 10, cache: { read: 100, write: 0 } }, cost: 0 } });
    const said = jsonl([
      { type: 'text', part: { messageID: 'm1', text: 'Writing the file.' } },
      { type: 'tool_use', part: { tool: 'write', state: { status: 'completed' } } },
      step('m1', 1000),
      { type: 'text', part: { messageID: 'm2', text: '## Outcome' } },
      { type: 'text', part: { messageID: 'm2', text: 'success' } },
      step('m2', 1200),
    ]);
    expect(readAgentOutput('opencode-json', said, '', 0, 'qwen3-coder-plus')).toEqual({
      text: '## Outcome\nsuccess', usage: { model: 'qwen3-coder-plus', promptTokens: 2400, completionTokens: 120, calls: 2 },
    });
    const denied = jsonl([{ type: 'error', error: { name: 'APIError', data: { message: 'Incorrect API key provided', statusCode: 401 } } }]);
    expect(readAgentOutput('opencode-json', denied, '', 1).error).toEqual({ kind: 'auth', message: 'Incorrect API key provided' });
  });
});

describe('copilot --output-format json', () => {
  it('its last message that asks for no tool is the answer; a session.error is classified by its type and status', () => {
    const said = jsonl([
      { type: 'assistant.message', data: { content: '', toolRequests: [{ name: 'create' }] } },
      { type: 'assistant.message', data: { content: 'Wrote greeting.txt.', toolRequests: [] } },
      { type: 'result', exitCode: 0, usage: { premiumRequests: 0 } },
    ]);
    expect(readAgentOutput('copilot-json', said, '', 0)).toEqual({ text: 'Wrote greeting.txt.' });
    const limited = jsonl([{ type: 'session.error', data: { errorType: 'rate_limit', message: 'Too many requests, retry in 1h', statusCode: 429 } }]);
    expect(readAgentOutput('copilot-json', limited, '', 1).error?.kind).toBe('limit');
    const denied = jsonl([{ type: 'session.error', data: { errorType: 'authentication', message: 'Authentication failed with provider' } }]);
    expect(readAgentOutput('copilot-json', denied, '', 1).error?.kind).toBe('auth');
  });
});

describe('what baton writes to point codex, opencode and copilot at an endpoint', () => {
  const model = { model: 'gpt-5.5', api_key_env: 'MY_KEY' };

  it('is none without an endpoint: codex runs as its user set it up (their login, their ~/.codex)', () => {
    expect(codexHome({ role: 'implementer', model, env: { MY_KEY: 'k' } })).toBeUndefined();
    expect(codexHome({ role: 'implementer', model, env: { OPENAI_BASE_URL: ' ', MY_KEY: 'k' } })).toBeUndefined();
  });

  it('points codex at the role\'s endpoint over the Responses API, key from the named variable, offline, without retries', () => {
    const home = codexHome({ role: 'implementer', model: { ...model, model: 'my "model"\\1', base_url: 'http://127.0.0.1:8000/v1' }, env: { OPENAI_BASE_URL: 'http://elsewhere/v1', MY_KEY: 'k' } })!;
    expect(home).toMatchObject({ env: { CODEX_HOME: '{home}' }, keyEnv: 'MY_KEY', model: 'my "model"\\1' });
    const toml = home.files!['config.toml']!;
    expect(parse(toml)).toMatchObject({
      model: 'my "model"\\1', model_provider: 'baton', approval_policy: 'never', sandbox_mode: 'workspace-write',
      model_providers: { baton: { base_url: 'http://127.0.0.1:8000/v1', env_key: 'MY_KEY', wire_api: 'responses', request_max_retries: 0, stream_max_retries: 0 } },
      analytics: { enabled: false }, features: { plugins: false },
    });
    expect(toml).not.toContain('"k"');
  });

  it('opencode: its config inline, the provider through @ai-sdk/openai-compatible, the key left to opencode to read, no registry lookup', () => {
    expect(opencodeHome({ role: 'implementer', model, env: { MY_KEY: 'k' } })).toBeUndefined();
    const home = opencodeHome({ role: 'implementer', model: { ...model, model: 'qwen3-coder-plus' }, env: { OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1', MY_KEY: 'k' } })!;
    expect(home).toMatchObject({ keyEnv: 'MY_KEY', model: 'qwen3-coder-plus', env: { OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_AUTOUPDATE: '1' } });
    expect(JSON.parse(home.env.OPENCODE_CONFIG_CONTENT!)).toMatchObject({
      model: 'baton/qwen3-coder-plus',
      provider: { baton: { npm: '@ai-sdk/openai-compatible', options: { baseURL: 'http://127.0.0.1:8000/v1', apiKey: '{env:MY_KEY}' }, models: { 'qwen3-coder-plus': {} } } },
    });
    expect(home.env.OPENCODE_CONFIG_CONTENT).not.toContain('"k"');
    expect(() => opencodeHome({ role: 'implementer', model, env: { OPENAI_BASE_URL: 'http://x/v1' } })).toThrow(/the agent \(opencode\) needs `MY_KEY`/);
  });

  it('copilot: offline, its provider variables, the key passed on in its environment only', () => {
    expect(copilotHome({ role: 'implementer', model, env: { MY_KEY: 'k' } })).toBeUndefined();
    const home = copilotHome({ role: 'implementer', model: { ...model, base_url: 'https://models.example/v1' }, env: { MY_KEY: 'k' } })!;
    expect(home).toEqual({
      env: { COPILOT_OFFLINE: 'true', COPILOT_AUTO_UPDATE: 'false', COPILOT_PROVIDER_BASE_URL: 'https://models.example/v1', COPILOT_PROVIDER_API_KEY: 'k', COPILOT_MODEL: 'gpt-5.5' },
      keyEnv: 'MY_KEY', model: 'gpt-5.5',
    });
  });

  it('refuses what it cannot write: a base URL that is not http(s), a key variable that is unset or no name', () => {
    expect(() => codexHome({ role: 'implementer', model, env: { OPENAI_BASE_URL: 'localhost:8000', MY_KEY: 'k' } })).toThrow(/`OPENAI_BASE_URL` is not an http\(s\) URL/);
    expect(() => codexHome({ role: 'cheap', model: { ...model, base_url: 'http://x/v1"\nmodel = "evil' }, env: { MY_KEY: 'k' } })).toThrow(/`models.cheap.base_url` is not an http\(s\) URL/);
    expect(() => codexHome({ role: 'implementer', model, env: { OPENAI_BASE_URL: 'http://x/v1' } })).toThrow(/needs `MY_KEY`/);
    expect(() => codexHome({ role: 'implementer', model: { ...model, api_key_env: 'A KEY' }, env: { OPENAI_BASE_URL: 'http://x/v1' } })).toThrow(/must name an environment variable/);
  });

  it('`baton run` with a bad endpoint stops before anything is written, naming the variable', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Anything');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    const r = baton(dir, ['run', id, '--executor', 'codex'], { env: { OPENAI_BASE_URL: 'ftp://models.example/v1', OPENAI_API_KEY: 'sk-test' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`OPENAI_BASE_URL` is not an http(s) URL');
    expect(r.stderr).not.toContain('sk-test');
    expect(git(dir, ['branch', '--list', 'task/*'])).toBe('');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });
});

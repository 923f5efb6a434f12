/** `init --agents` installs each host's baton commands; `init --uninstall-agents` takes exactly that away. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { baton, git, makeRepo, ok, read, write } from './helpers/repo.js';

const COMMANDS = ['next', 'start', 'log', 'done', 'status'];

/** YAML front matter and body of a markdown file. */
function frontMatter(text: string): { data: Record<string, string>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`no front matter in:\n${text}`);
  return { data: parseYaml(m[1]!) as Record<string, string>, body: m[2]! };
}

const porcelain = (dir: string) => git(dir, ['status', '--porcelain', '--untracked-files=all']);
const head = (dir: string) => git(dir, ['rev-parse', 'HEAD']).trim();

describe('baton init --agents: the hosts call baton', () => {
  it('installs commands every host reads, commits them as baton\'s own, keeps what a person wrote, and --uninstall-agents removes exactly that', () => {
    const dir = makeRepo();
    write(dir, 'CLAUDE.md', '# Our rules\n');
    write(dir, '.cursor/commands/baton-status.md', 'our own status command\n');
    write(dir, '.github/workflows/ci.yml', 'on: push\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'ours']);

    const unknown = baton(dir, ['init', '--agents', 'claude,windsurf']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown agent in --agents: `windsurf`');
    expect(unknown.stderr).toContain('`claude`, `codex`, `gemini`, `copilot`, `cursor`');

    const out = ok(dir, ['init', '--agents', 'claude,codex,gemini,copilot,cursor']);
    // Claude Code: slash commands with the front matter it reads.
    for (const name of COMMANDS) {
      const { data, body } = frontMatter(read(dir, `.claude/commands/baton-${name}.md`));
      expect(typeof data.description, name).toBe('string');
      expect(data['allowed-tools'], name).toContain(`Bash(baton ${name}:*)`);
      expect(body, name).toContain(`baton ${name}`);
    }
    const claudeStart = frontMatter(read(dir, '.claude/commands/baton-start.md'));
    expect(claudeStart.data['argument-hint']).toBe('[task id]');
    expect(claudeStart.body).toContain('`baton start $ARGUMENTS`, then `baton prompt $ARGUMENTS`');
    // Gemini CLI: /baton:next … from TOML with description and prompt.
    expect(readdirSync(join(dir, '.gemini/commands/baton')).sort()).toEqual(COMMANDS.map((c) => `${c}.toml`).sort());
    const geminiLog = parseToml(read(dir, '.gemini/commands/baton/log.toml')) as { description: string; prompt: string };
    expect(Object.keys(geminiLog).sort()).toEqual(['description', 'prompt']);
    expect(geminiLog.prompt).toContain('baton log {{args}} --outcome success|partial|failure --summary "…"');
    // Copilot: prompt files, and the instructions pointer.
    const copilotDone = frontMatter(read(dir, '.github/prompts/baton-done.prompt.md'));
    expect(copilotDone.data).toMatchObject({ agent: 'agent', 'argument-hint': 'task id' });
    expect(copilotDone.body).toContain('`baton done ${input:task:task id} --merge`');
    expect(read(dir, '.github/copilot-instructions.md')).toContain('AGENTS.md');
    // Cursor: its rule and plain markdown commands; a command a person already had is kept.
    expect(read(dir, '.cursor/commands/baton-next.md')).toContain('`baton next`');
    expect(read(dir, '.cursor/commands/baton-status.md')).toBe('our own status command\n');
    expect(out).toContain("kept     .cursor/commands/baton-status.md (already there and not baton's");
    // Codex: a section of AGENTS.md, said why.
    expect(read(dir, 'AGENTS.md')).toMatch(/<!-- baton:end -->\n\n<!-- baton:codex:begin -->\n### baton commands[\s\S]*`baton done <id> --merge`[\s\S]*<!-- baton:codex:end -->\n$/);
    expect(out).toContain('~/.codex/prompts');
    expect(read(dir, 'CLAUDE.md')).toMatch(/^# Our rules\n\n<!-- baton:begin -->/);

    // One plan commit; the hooks record no entry for it (it touches only baton's files); a clean tree.
    expect(git(dir, ['log', '-1', '--format=%s']).trim()).toBe('Plan: baton init');
    expect(porcelain(dir)).toBe('');
    expect(read(dir, '.agents/memory/project.md')).not.toContain('Plan: baton init');
    expect(baton(dir, ['doctor']).code).toBe(0);

    // Again: nothing to do.
    const tip = head(dir);
    expect(ok(dir, ['init', '--agents', 'codex,cursor,claude,gemini,copilot'])).toContain('nothing changed');
    expect(head(dir)).toBe(tip);

    // A person changes one command: uninstall leaves it and takes the rest.
    write(dir, '.claude/commands/baton-log.md', `${read(dir, '.claude/commands/baton-log.md')}Always add a --decision.\n`);
    git(dir, ['commit', '-q', '-am', 'our log command']);
    const agentsBefore = read(dir, 'AGENTS.md');
    const un = ok(dir, ['init', '--uninstall-agents']);
    expect(un).toContain('kept     .claude/commands/baton-log.md (changed since baton wrote it)');
    expect(read(dir, 'CLAUDE.md')).toBe('# Our rules\n');
    expect(read(dir, 'AGENTS.md')).toBe(agentsBefore.replace(/\n<!-- baton:codex:begin -->[\s\S]*<!-- baton:codex:end -->\n/, ''));
    expect(read(dir, 'AGENTS.md')).toContain('## Working with baton');
    for (const gone of ['GEMINI.md', '.gemini', '.github/prompts', '.github/copilot-instructions.md', '.cursor/rules', '.cursor/commands/baton-next.md', '.agents/agent-hosts.yaml']) {
      expect(existsSync(join(dir, gone)), gone).toBe(false);
    }
    expect(readdirSync(join(dir, '.claude/commands'))).toEqual(['baton-log.md']);
    expect(read(dir, '.cursor/commands/baton-status.md')).toBe('our own status command\n');
    expect(read(dir, '.github/workflows/ci.yml')).toBe('on: push\n');
    expect(git(dir, ['log', '-1', '--format=%s']).trim()).toBe('Plan: baton init --uninstall-agents');
    expect(porcelain(dir)).toBe('');

    // Recorded: a second uninstall has nothing to remove and commits nothing.
    const after = head(dir);
    expect(ok(dir, ['init', '--uninstall-agents'])).toContain('nothing changed');
    expect(head(dir)).toBe(after);
  });
});

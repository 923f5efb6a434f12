import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import { STATUSES, type Task } from '../core/task.js';
import { openProject } from '../project/context.js';
import { addTasks, replaceTaskText, setTask } from '../project/tasks.js';
import { loadTaskByRef, loadTasksStrict } from '../store/tasks.js';
import { cwdOf, json, out, table, type GlobalArgs } from './output.js';

type Any = GlobalArgs & Record<string, any>;

const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);

const add: CommandModule<object, Any> = {
  // `[title]`, not `<title>`: a title that starts with a dash comes after `--`, where yargs
  // leaves it in `_` instead of the positional.
  command: 'add [title]',
  describe: 'Create a task (a title that starts with "-" goes after `--`)',
  builder: (y) =>
    y
      .positional('title', { type: 'string', describe: 'Short title, e.g. "Add login endpoint"' })
      .option('depends-on', { alias: 'd', type: 'array', string: true, describe: 'Ids (or unique prefixes) it depends on' })
      .option('phase', { alias: 'p', type: 'string' })
      .option('check', { type: 'array', string: true, describe: 'A command whose success proves the task' })
      .option('file', { type: 'array', string: true, describe: 'A file to look at' })
      .option('role', { type: 'string', describe: 'Role (model/executor) that implements it' })
      .option('context', { type: 'string', describe: 'Text for the Context section' })
      .option('requirement', { type: 'array', string: true, describe: 'A requirement (repeatable)' })
      .option('criterion', { type: 'array', string: true, describe: 'A success criterion (repeatable)' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: (argv) => {
    const title = argv.title ?? (argv._ as unknown[]).slice(2).map(String).join(' ');
    if (!title) throw new BatonError('a task needs a title', { hint: 'baton task add "Add login endpoint"' });
    const project = openProject(cwdOf(argv));
    const [task] = addTasks(project, [{
      title: String(title),
      dependsOn: list(argv.dependsOn),
      phase: argv.phase,
      checks: argv.check,
      files: argv.file,
      role: argv.role,
      context: argv.context,
      requirements: argv.requirement,
      criteria: argv.criterion,
    }]);
    if (argv.json) return json(task);
    out(`${task!.id}  ${task!.path}`);
  },
};

function renderTask(t: Task): string {
  const meta = [
    `${t.id}  ${t.title}`,
    `status:     ${t.status}`,
    t.phase ? `phase:      ${t.phase}` : '',
    t.depends_on.length ? `depends on: ${t.depends_on.join(', ')}` : '',
    t.branch ? `branch:     ${t.branch}` : '',
    t.files.length ? `files:      ${t.files.join(', ')}` : '',
    t.checks.length ? `checks:     ${t.checks.join(' ; ')}` : '',
    `file:       ${t.path}`,
  ].filter(Boolean);
  return `${meta.join('\n')}\n\n${t.body.trim()}`;
}

const show: CommandModule<object, Any> = {
  command: 'show <id>',
  describe: 'Show one task',
  builder: (y) => y.positional('id', { type: 'string' }).option('json', { type: 'boolean', default: false }) as never,
  handler: (argv) => {
    const task = loadTaskByRef(openProject(cwdOf(argv)).root, String(argv.id), resolveTask);
    if (argv.json) return json(task);
    out(renderTask(task));
  },
};

const listCmd: CommandModule<object, Any> = {
  command: 'list',
  describe: 'List tasks',
  builder: (y) =>
    y
      .option('status', { alias: 's', type: 'string', choices: STATUSES as unknown as string[] })
      .option('phase', { alias: 'p', type: 'string' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: async (argv) => {
    const { topoOrder } = await import('../core/graph.js');
    let tasks = topoOrder(loadTasksStrict(openProject(cwdOf(argv)).root));
    if (argv.status) tasks = tasks.filter((t) => t.status === argv.status);
    if (argv.phase) tasks = tasks.filter((t) => t.phase === argv.phase);
    if (argv.json) return json(tasks.map(({ body: _b, lines: _l, ...t }) => t));
    if (!tasks.length) return out('No tasks match.');
    out(table(tasks.map((t) => [t.id, t.status, t.phase ?? '', t.title, t.depends_on.length ? `← ${t.depends_on.join(', ')}` : ''])));
  },
};

const edit: CommandModule<object, Any> = {
  command: 'edit <id>',
  describe: 'Edit a task in $EDITOR; the result is validated before it is saved',
  builder: (y) => y.positional('id', { type: 'string' }) as never,
  handler: (argv) => {
    const project = openProject(cwdOf(argv));
    const tasks = loadTasksStrict(project.root);
    const task = resolveTask(tasks, String(argv.id));
    const editor = process.env.VISUAL || process.env.EDITOR;
    if (!editor) throw new BatonError('no editor: set $EDITOR (or $VISUAL)', { hint: 'e.g. `EDITOR=nano baton task edit ' + task.id + '`' });
    const dir = mkdtempSync(join(tmpdir(), 'baton-edit-'));
    const scratch = join(dir, task.path.split('/').pop()!);
    const original = readFileSync(join(project.root, task.path), 'utf8');
    writeFileSync(scratch, original);
    const run = spawnSync(`${editor} "${scratch}"`, { shell: true, stdio: 'inherit' });
    if (run.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new BatonError(`the editor exited with ${run.status ?? run.signal}; the task is unchanged`, { file: task.path });
    }
    const edited = readFileSync(scratch, 'utf8');
    try {
      const saved = replaceTaskText(project, tasks, task, () => edited);
      rmSync(dir, { recursive: true, force: true });
      out(edited === original ? `${saved.id}: no change` : `${saved.id}: saved ${saved.path}`);
    } catch (error) {
      if (error instanceof BatonError) {
        // Keep the person's edit: nothing they typed is lost.
        throw new BatonError(`${error.message}; the task is unchanged`, {
          file: error.file, line: error.line,
          hint: `${error.hint ?? ''}\n  Your edit is kept in ${scratch}: fix it and copy it over, or run \`baton task edit ${task.id}\` again.`.trim(),
        });
      }
      throw error;
    }
  },
};

const set: CommandModule<object, Any> = {
  command: 'set <id>',
  describe: 'Change fields of a task (only those fields change in its file)',
  builder: (y) =>
    y
      .positional('id', { type: 'string' })
      .option('status', { alias: 's', type: 'string', describe: STATUSES.join(' | ') })
      .option('title', { type: 'string' })
      .option('phase', { type: 'string', describe: 'Empty to remove' })
      .option('role', { type: 'string' })
      .option('depends-on', { type: 'array', string: true, describe: 'Replace the dependencies' })
      .option('add-dep', { type: 'array', string: true })
      .option('remove-dep', { type: 'array', string: true })
      .option('check', { type: 'array', string: true, describe: 'Replace the checks' })
      .option('file', { type: 'array', string: true, describe: 'Replace the file hints' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: (argv) => {
    const project = openProject(cwdOf(argv));
    const changes = {
      status: argv.status, title: argv.title, phase: argv.phase, role: argv.role,
      dependsOn: list(argv.dependsOn), addDeps: list(argv.addDep), removeDeps: list(argv.removeDep),
      checks: argv.check, files: argv.file,
    };
    if (Object.values(changes).every((v) => v === undefined)) {
      throw new BatonError('nothing to change', { hint: 'Give a field, e.g. `baton task set T-7f3a --status done`.' });
    }
    const task = setTask(project, String(argv.id), changes);
    if (argv.json) return json(task);
    out(`${task.id}: updated (${task.status})`);
  },
};

const command: CommandModule<object, GlobalArgs> = {
  command: 'task <command>',
  describe: 'Tasks by hand: add, show, list, edit, set',
  builder: (y: Argv) => y.command(add).command(show).command(listCmd).command(edit).command(set).demandCommand(1) as never,
  handler: () => {},
};
export default command;

import { BatonError } from '../core/errors.js';
import { resolveTask } from '../core/ids.js';
import { STATUSES, type Status, type Task } from '../core/task.js';
import { openProject } from '../workspace/context.js';
import { addTasks, setTask } from '../tasks/write.js';
import { editTask } from '../workflow/task-edit.js';
import { loadTaskByRef, loadTaskHeadsStrict, type ShownTask } from '../tasks/task-files.js';
import { defineCommand, defineGroup } from './command.js';
import { EXIT } from './exit-codes.js';
import { cwdOf, json, out, table } from './output.js';
import { painter, STATUS_STYLE } from './render/colour.js';
import { COMMIT_OPTION, printPlanCommit } from './plan-commit.js';
import { commitWritten, setSubject, snapshotAgents } from '../workflow/plan-commit.js';
import { AGENTS } from '../workspace/paths.js';

/** Commits of `task add|set|edit` touch the task's file and plan.md's table, when the command wrote them. */
const taskPaths = (t: Pick<Task, 'path'>) => [t.path, AGENTS.plan];
import type { Project } from '../workspace/context.js';
import type { Stated } from '../tasks/state.js';

/** One task with the state every view shows (its unmerged branch's status laid over this checkout's). */
async function stateOfOne<T extends ShownTask>(project: Project, task: T): Promise<Stated<T>> {
  const { statedTasks } = await import('../tasks/state.js');
  return (await statedTasks(project, [task])).tasks[0]!;
}

const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);

const add = defineCommand({
  // `[title]`, not `<title>`: a title that starts with a dash comes after `--`, where yargs
  // leaves it in `_` instead of the positional.
  command: 'add [title]',
  describe: 'Create a task (a title that starts with "-" goes after `--`)',
  positionals: {
    title: { type: 'string', describe: 'Short title, e.g. "Add login endpoint"' },
  },
  options: {
    'depends-on': { alias: 'd', type: 'array', string: true, describe: 'Ids (or unique prefixes) it depends on' },
    phase: { alias: 'p', type: 'string', describe: 'The phase it belongs to, e.g. "API"' },
    check: { type: 'array', string: true, describe: 'A command whose success proves the task (repeatable)' },
    file: { type: 'array', string: true, describe: 'A file to look at (repeatable)' },
    role: { type: 'string', describe: 'Role (model/executor) that implements it' },
    context: { type: 'string', describe: 'Text for the Context section' },
    requirement: { type: 'array', string: true, describe: 'A requirement (repeatable)' },
    criterion: { type: 'array', string: true, describe: 'A success criterion (repeatable)' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 task add "Add login endpoint" --phase API --check "npm test -- login"', 'a task with a check that proves it'],
    ['$0 task add "Login page" -d T-7f3a', 'a task that waits on another'],
    ['$0 task add -- "-v flag prints the version"', 'a title that starts with a dash'],
  ],
  handler: async (argv) => {
    const title = argv.title ?? argv._.slice(2).map(String).join(' ');
    if (!title) throw new BatonError('a task needs a title', { hint: 'baton task add "Add login endpoint"', exitCode: EXIT.usage });
    const project = openProject(cwdOf(argv));
    const before = snapshotAgents(project.root);
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
    const subject = `Plan: add ${task!.id} ${JSON.stringify(task!.title)}`;
    const committed = await commitWritten(before, subject, { commit: argv.commit }, taskPaths(task!));
    if (argv.json) return json({ ...task!, commit: committed.commit ?? null });
    out(`${task!.id}  ${task!.path}`);
    printPlanCommit(committed, subject);
  },
});

function renderTask(t: Stated<ShownTask>): string {
  const meta = [
    `${t.id}  ${t.title}`,
    `status:     ${t.status}${t.reason ? ` (${t.reason}: \`baton answer ${t.id} "…"\`)` : ''}`,
    t.phase ? `phase:      ${t.phase}` : '',
    t.depends_on.length ? `depends on: ${t.depends_on.join(', ')}` : '',
    t.statusHere ? `here:       ${t.statusHere} (this checkout's file; the status above is on its branch)` : '',
    t.branch ? `branch:     ${t.branch}` : '',
    t.files.length ? `files:      ${t.files.join(', ')}` : '',
    t.checks.length ? `checks:     ${t.checks.join(' ; ')}` : '',
    `file:       ${t.path}`,
  ].filter(Boolean);
  return `${meta.join('\n')}\n\n${t.body.trim()}`;
}

const show = defineCommand({
  command: 'show <id>',
  describe: 'Show one task',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  examples: [['$0 task show 7f3a', 'a task by a prefix of its id']],
  handler: async (argv) => {
    // --json gives the key lines too (docs/json.md), which only a parse of the file has.
    const project = openProject(cwdOf(argv));
    const shown = loadTaskByRef(project.root, String(argv.id), resolveTask, { lines: Boolean(argv.json) });
    const task = await stateOfOne(project, shown);
    if (argv.json) return json(task);
    out(renderTask(task));
  },
});

const listCmd = defineCommand({
  command: 'list',
  describe: 'List tasks',
  options: {
    status: { alias: 's', type: 'string', choices: STATUSES as unknown as string[], describe: 'Only tasks with this status' },
    phase: { alias: 'p', type: 'string', describe: 'Only tasks in this phase' },
  },
  examples: [
    ['$0 task list --status blocked', 'what is stuck'],
    ['$0 task list --phase API --json', 'one phase, for a script'],
  ],
  handler: async (argv) => {
    const { listTasks } = await import('../workflow/task-list.js');
    const tasks = await listTasks(openProject(cwdOf(argv)), { status: argv.status as Status | undefined, phase: argv.phase });
    if (argv.json) return json({ tasks });
    if (!tasks.length) return out('No tasks match.');
    const paint = painter();
    const rows = tasks.map((t) => [t.id, t.status, t.phase ?? '', t.title, [t.depends_on.length ? `← ${t.depends_on.join(', ')}` : '', t.reason ? `(${t.reason})` : ''].filter(Boolean).join(' ')]);
    out(table(rows, (column, cell, padded) => {
      const style = column === 1 ? STATUS_STYLE[cell] : undefined;
      return style ? paint(style, padded) : padded;
    }));
  },
});

const edit = defineCommand({
  command: 'edit <id>',
  describe: 'Edit a task in $EDITOR; the result is validated before it is saved',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: { ...COMMIT_OPTION },
  examples: [['EDITOR=nano $0 task edit 7f3a', 'edit it by hand; a mistake is refused and your edit kept']],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const before = snapshotAgents(project.root);
    const editor = process.env.VISUAL || process.env.EDITOR;
    const r = editTask(project, String(argv.id), (file) => {
      if (!editor) return undefined;
      const run = process.getBuiltinModule('node:child_process').spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
      return run.status ?? run.signal ?? 'a signal';
    });
    const subject = `Plan: edit ${r.task.id} ${JSON.stringify(r.task.title)}`;
    const committed = await commitWritten(before, subject, { commit: argv.commit }, taskPaths(r.task));
    if (argv.json) return json({ id: r.task.id, path: r.task.path, changed: r.changed, commit: committed.commit ?? null });
    out(r.changed ? `${r.task.id}: saved ${r.task.path}` : `${r.task.id}: no change`);
    printPlanCommit(committed, subject);
  },
});

const set = defineCommand({
  command: 'set <id>',
  describe: 'Change fields of a task (only those fields change in its file)',
  positionals: { id: { type: 'string', describe: 'Task id or unique prefix' } },
  options: {
    status: { alias: 's', type: 'string', describe: STATUSES.join(' | ') },
    title: { type: 'string', describe: 'A new title' },
    phase: { type: 'string', describe: 'A new phase; empty to remove' },
    role: { type: 'string', describe: 'A new role (model/executor)' },
    'depends-on': { type: 'array', string: true, describe: 'Replace the dependencies' },
    'add-dep': { type: 'array', string: true, describe: 'Add a dependency (repeatable)' },
    'remove-dep': { type: 'array', string: true, describe: 'Remove a dependency (repeatable)' },
    check: { type: 'array', string: true, describe: 'Replace the checks' },
    file: { type: 'array', string: true, describe: 'Replace the file hints' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 task set 7f3a --status blocked', 'mark a task blocked'],
    ['$0 task set 7f3a --add-dep T-09b4', 'make it wait on another task'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv));
    const before = snapshotAgents(project.root);
    const changes = {
      status: argv.status, title: argv.title, phase: argv.phase, role: argv.role,
      dependsOn: list(argv.dependsOn), addDeps: list(argv.addDep), removeDeps: list(argv.removeDep),
      checks: argv.check, files: argv.file,
    };
    if (Object.values(changes).every((v) => v === undefined)) {
      throw new BatonError('nothing to change', { hint: 'Give a field, e.g. `baton task set T-7f3a --status done`.' });
    }
    const task = setTask(project, String(argv.id), changes);
    const subject = setSubject(task.id, changes);
    const committed = await commitWritten(before, subject, { commit: argv.commit }, taskPaths(task));
    if (argv.json) return json({ ...task, commit: committed.commit ?? null });
    out(`${task.id}: updated (${task.status})`);
    printPlanCommit(committed, subject);
  },
});

export default defineGroup({
  command: 'task',
  describe: 'Tasks by hand: add, show, list, edit, set',
  subcommands: [add, show, listCmd, edit, set],
  examples: [['$0 task list', 'every task, in dependency order']],
});

// The architecture, checked by test/architecture.test.ts (and `npx depcruise src`).
// Folders are layers; a folder may import its own layer and the layers below it,
// never one above. Lazy `await import()` and `import type` count as edges too: a
// hidden upward edge is how the old project ⇄ hook cycle crept in.
/** Lowest first. */
const LAYERS = [
  ['core'], // pure: no I/O, no git
  ['workspace', 'git'], // the project on disk (paths, config, atomic writes, locks) and the one git runner
  ['git-hooks'], // installs the hooks and the plan.md merge driver in git's config
  ['llm', 'memory', 'tasks'], // the model client; memory files; task files and plan.md (their only writer)
  ['agents', 'prompt'], // planner, reviewer, implementer (return changes); prompts for agents
  ['workflow'], // the use cases: init, start, run, log, done, auto, status, pr, doctor
  ['remote', 'board', 'mcp'], // features built on the use cases
  ['cli'], // commands and terminal rendering only
];

const folders = (layers) => `^src/(${layers.flat().join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `upward-from-${layer.join('-')}`,
      severity: 'error',
      comment: `${layer.join(', ')} may import only ${LAYERS.slice(0, i).flat().concat(layer).join(', ') || 'itself'} (dependency direction: cli → workflow → agents/prompt → llm/tasks/memory → workspace/git → core).`,
      from: { path: folders([layer]) },
      to: { path: folders(LAYERS.slice(i + 1)) },
    })),
    {
      name: 'llm-writes-no-memory',
      severity: 'error',
      comment: 'llm/ talks to the model; recording usage in memory belongs to memory/.',
      from: { path: '^src/llm/' },
      to: { path: '^src/(memory|tasks)/' },
    },
    {
      name: 'memory-below-tasks',
      severity: 'error',
      comment: 'tasks/ reads a task\'s memory; memory/ never needs task files.',
      from: { path: '^src/memory/' },
      to: { path: '^src/tasks/' },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'Folders form no cycle: move the shared part down, or pass it in.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules form no cycle.',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensionAlias: { '.js': ['.ts', '.js'] } },
  },
};

/** Scripted model answers shared by the plan, review and cost tests. */

export const GOOD_PLAN = {
  goal: 'A small todo API with login, so a team can share lists.',
  constraints: ['TypeScript on Node 20', 'No ORM: plain SQL migrations'],
  architecture: ['SQLite for storage', 'Sessions are stored server-side; the cookie holds only the id'],
  phases: ['Data: schema and migrations', 'API: endpoints and auth'],
  tasks: [
    {
      key: 'db', title: 'Create the users and todos tables', phase: 'Data', depends_on: [],
      context: 'Nothing exists yet; this is the base every endpoint reads.',
      requirements: ['A migration creating `users` and `todos`'], success_criteria: ['`npm run migrate` creates both tables'],
      checks: ['npm run migrate'], files: ['db/schema.sql'],
    },
    {
      key: 'login', title: 'Add the login endpoint', phase: 'API', depends_on: ['db'],
      context: 'Users log in with email and password.', requirements: ['POST /login'],
      success_criteria: ['POST /login returns a signed session cookie'], checks: ['npm test -- login'], files: ['src/api/login.ts'],
    },
    {
      key: 'todos', title: 'Add the todo endpoints', phase: 'API', depends_on: ['db', 'login'],
      context: 'Only the owner may see a list.', requirements: ['GET /todos', 'POST /todos'],
      success_criteria: ['A user sees only their todos'], checks: [], files: ['src/api/todos.ts'],
    },
  ],
};

export const CYCLIC_PLAN = {
  ...GOOD_PLAN,
  tasks: [
    { key: 'a', title: 'First half', depends_on: ['b'] },
    { key: 'b', title: 'Second half', depends_on: ['a'] },
  ],
};

export const REQUIREMENTS = '# Todo API\n\nUsers log in and keep todo lists. Use TypeScript and SQLite.\n';

/** The same plan as a chat model might write it when it ignores the JSON instruction. */
export const GOOD_PLAN_MARKDOWN = `Sure! Here is the plan.

# Plan

## Goal

A small todo API with login, so a team can share lists.

## Constraints

- TypeScript on Node 20
- No ORM: plain SQL migrations

## Architecture

- SQLite for storage
- Sessions are stored server-side; the cookie holds only the id

## Phases

1. Data: schema and migrations
2. API: endpoints and auth

## Tasks

### db: Create the users and todos tables

- **Phase:** Data
- **Depends on:** none
- **Context:** Nothing exists yet; this is the base every endpoint reads.
- **Requirements:**
  - A migration creating \`users\` and \`todos\`
- **Success criteria:**
  - \`npm run migrate\` creates both tables
- **Checks:** npm run migrate
- **Files:** db/schema.sql

### login: Add the login endpoint

- **Phase:** API
- **Depends on:** db
- **Context:** Users log in with email and password.
- **Requirements:**
  - POST /login
- **Success criteria:**
  - POST /login returns a signed session cookie
- **Checks:** npm test -- login
- **Files:** src/api/login.ts

### todos: Add the todo endpoints

- **Phase:** API
- **Depends on:** db, login
- **Context:** Only the owner may see a list.
- **Requirements:**
  - GET /todos
  - POST /todos
- **Success criteria:**
  - A user sees only their todos
- **Files:** src/api/todos.ts

Let me know if you want changes.
`;

/**
 * A snapshot of `.agents/` with what legitimately differs between two runs
 * masked: random task ids (named by their file's slug instead), times, and
 * `usage` entries (only the API path pays for tokens).
 */
export function normalizeSnapshot(files: Record<string, string>): Record<string, string> {
  const ids = new Map<string, string>();
  for (const path of Object.keys(files)) {
    const m = /tasks\/(T-[0-9a-f]+)-(.*)\.md$/.exec(path);
    if (m) ids.set(m[1]!, `T-<${m[2]}>`);
  }
  const fix = (text: string) =>
    text
      .replace(/T-[0-9a-f]{4,16}/g, (id) => ids.get(id) ?? id)
      .replace(/T_([0-9a-f]{4,16})/g, (node, hex: string) => ids.get(`T-${hex}`)?.replace(/-/g, '_') ?? node)
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
      .replace(/## <time> usage [^\n]*\n(?:(?!## )[^\n]*\n?)*/g, '');
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [fix(path), fix(text).trimEnd()]));
}

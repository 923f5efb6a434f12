/**
 * One folder per `vitest run` where `makeProject` keeps the repositories it copies (see
 * `projectTemplate` in repo.ts), removed when the run ends.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    batonTemplates: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'baton-templates-')));
  project.provide('batonTemplates', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}

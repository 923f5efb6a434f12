/**
 * Prompt templates: plain markdown files with `{{name}}` placeholders and
 * `{{#name}}…{{/name}}` sections that appear only when `name` is not empty.
 * The package ships defaults in `templates/`; a file of the same name in
 * `.agents/templates/` replaces it for one project.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError } from '../core/errors.js';
import { agentsPaths, rel } from '../workspace/paths.js';

export const PACKAGE_TEMPLATES = new URL('../../templates/', import.meta.url);

export interface Template {
  name: string;
  text: string;
  /** Where it came from, for messages: `.agents/templates/x.md` or `templates/x.md (built in)`. */
  source: string;
}

export function loadTemplate(root: string, name: string): Template {
  const override = join(agentsPaths(root).templates, name);
  if (existsSync(override)) return { name, text: readFileSync(override, 'utf8'), source: rel(root, override) };
  const builtIn = new URL(name, PACKAGE_TEMPLATES);
  return { name, text: readFileSync(builtIn, 'utf8'), source: `templates/${name} (built in)` };
}

const SECTION_RE = /\{\{#([a-z_]+)\}\}\n?([\s\S]*?)\{\{\/\1\}\}\n?/g;
const PLACEHOLDER_RE = /\{\{([#/]?)([a-z_]*)\}\}/g;

/** Fill a template. Unknown names are an error that names the template line, so a typo in an override is caught. */
export function renderTemplate(template: Template, values: Record<string, string>): string {
  for (const m of template.text.matchAll(PLACEHOLDER_RE)) {
    if (!(m[2]! in values)) {
      const line = template.text.slice(0, m.index).split('\n').length;
      throw new BatonError(`unknown placeholder \`${m[0]}\` in the prompt template`, {
        file: template.source, line,
        hint: `Known placeholders: ${Object.keys(values).map((k) => `{{${k}}}`).join(', ')}.`,
      });
    }
  }
  // Sections may nest (`{{#full}}` inside `{{#instructions}}`): resolve the outer ones, then what they kept.
  let withSections = template.text;
  for (let prev = ''; prev !== withSections;) {
    prev = withSections;
    withSections = withSections.replace(SECTION_RE, (_m, name: string, inner: string) => (values[name]?.trim() ? inner : ''));
  }
  const filled = withSections.replace(PLACEHOLDER_RE, (_m, _kind: string, name: string) => values[name] ?? '');
  // Empty sections can leave runs of blank lines; keep the output tidy and stable.
  return `${filled.replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

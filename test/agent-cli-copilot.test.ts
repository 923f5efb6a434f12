/** Conformance with the real `copilot` CLI from npm (Chat Completions, offline BYOK): see test/helpers/agent-clis.ts. */
import { conformance } from './helpers/agent-clis-suite.js';

conformance('copilot');

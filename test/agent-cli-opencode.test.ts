/** Conformance with the real `opencode` CLI from npm (Chat Completions): see test/helpers/agent-clis.ts. */
import { conformance } from './helpers/agent-clis-suite.js';

conformance('opencode');

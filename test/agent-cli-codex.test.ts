/** Conformance with the real `codex` CLI from npm (OpenAI Responses API): see test/helpers/agent-clis.ts. */
import { conformance } from './helpers/agent-clis-suite.js';

conformance('codex');

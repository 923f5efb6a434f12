/** Conformance with the real `gemini` CLI from npm: see test/helpers/agent-clis.ts. */
import { conformance } from './helpers/agent-clis-suite.js';

conformance('gemini');

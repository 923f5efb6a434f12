/** Conformance with the real `qwen` CLI from npm: see test/helpers/agent-clis.ts. */
import { conformance } from './helpers/agent-clis-suite.js';

conformance('qwen');

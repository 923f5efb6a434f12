/**
 * Ctrl-C, `kill` (SIGTERM: a cancelled CI job, `timeout`, `docker stop`) and a
 * closed terminal (SIGHUP) all stop a long command the same way: the running
 * agents are stopped with their process groups, the attempt is logged as
 * interrupted, and the exit status says which signal it was (128 + its number).
 */
import { EXIT } from './exit-codes.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const CODES: Record<StopSignal, number> = { SIGINT: EXIT.interrupted, SIGTERM: 143, SIGHUP: 129 };

export interface StopSignals {
  /** The first stop signal received, if any. */
  readonly received?: StopSignal;
  /** The exit status for it (130 when none came: a stop by other means, such as a lost claim). */
  code(): number;
  remove(): void;
}

/**
 * Calls `onStop` on the first of these signals; a second one (any of them)
 * exits at once.
 */
export function onStopSignals(onStop: (signal: StopSignal) => void): StopSignals {
  let received: StopSignal | undefined;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      if (received) process.exit(CODES[signal]);
      received = signal;
      onStop(signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    get received() {
      return received;
    },
    code: () => (received ? CODES[received] : EXIT.interrupted),
    remove: () => {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    },
  };
}

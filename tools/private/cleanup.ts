/**
 * Cleanup that also runs when the tool is interrupted: SIGINT (Ctrl-C), SIGTERM (a CI runner
 * cancelling the job) and SIGHUP (the terminal or SSH session closing). On such a signal every
 * registered cleanup runs (newest first), then the signal is raised again so the exit status
 * says what happened (128 + signal number).
 */

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const cleanups: Array<() => void> = [];
let interrupted = false;

function onSignal(signal: NodeJS.Signals): void {
  // A second signal (a wrapper relaying it, an impatient Ctrl-C) must not cut the cleanup short.
  if (interrupted) return;
  interrupted = true;
  while (cleanups.length > 0) {
    try {
      cleanups.pop()!();
    } catch {
      // Keep going: every other cleanup still runs.
    }
  }
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/**
 * Registers `cleanup` to run on SIGINT, SIGTERM or SIGHUP; returns a function that runs it now
 * (once) and unregisters it, for the normal path (`finally`).
 */
export function onInterrupt(cleanup: () => void): () => void {
  if (cleanups.length === 0) for (const s of SIGNALS) process.on(s, onSignal);
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    cleanup();
  };
  cleanups.push(run);
  return () => {
    const i = cleanups.indexOf(run);
    if (i >= 0) cleanups.splice(i, 1);
    if (cleanups.length === 0 && !interrupted)
      for (const s of SIGNALS) process.removeListener(s, onSignal);
    run();
  };
}

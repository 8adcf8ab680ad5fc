// A time limit on a wait for a local daemon's answer (named's control channel, its DNS UPDATE port).

/** Waits a process times with V8's delayed tasks before it goes over to Node's timers. */
let cheapLeft = 8;

/**
 * Calls `expired` after `ms` unless cancelled first (the function returned); either way it keeps no process alive (the
 * connection does, while an answer is awaited). A process's first setTimeout and clearTimeout cost it ~0.5 ms, and a
 * request that changes a zone usually sets no other timer: its first few waits are timed by V8's own delayed task
 * behind Atomics.waitAsync instead. Node keeps such a task until its time is up even when the wait is cancelled, in a
 * list it searches whole, so the waits after those (bulk work, a long-running server) go to an ordinary timer.
 */
export function deadline(ms: number, expired: () => void): () => void {
  if (cheapLeft > 0) {
    cheapLeft--;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const wait = Atomics.waitAsync(cell, 0, 0, ms);
    if (wait.async) void wait.value.then((how) => { if (how === 'timed-out') expired(); });
    else if (wait.value === 'timed-out') queueMicrotask(expired);
    return () => { Atomics.notify(cell, 0); };
  }
  const timer = setTimeout(expired, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

// A time limit on a wait for a local daemon's answer (named's control channel, its DNS UPDATE port).

/**
 * Calls `expired` after `ms` unless cancelled first (the function returned). Not a Node timer: a process's first
 * setTimeout and clearTimeout cost it ~0.5 ms, and these waits are the only timers a request that changes a zone sets.
 * V8's own delayed task behind Atomics.waitAsync keeps the time instead; like an unref'd timer it keeps no process alive
 * (the connection does, while an answer is awaited).
 */
export function deadline(ms: number, expired: () => void): () => void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const wait = Atomics.waitAsync(cell, 0, 0, ms);
  if (wait.async) void wait.value.then((how) => { if (how === 'timed-out') expired(); });
  else if (wait.value === 'timed-out') queueMicrotask(expired);
  return () => { Atomics.notify(cell, 0); };
}

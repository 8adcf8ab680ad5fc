// Whether a process is there, by its pid: the test behind every lease, claim and lock a dead process may leave.

/** Whether a process with this pid exists (one of another user counts). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

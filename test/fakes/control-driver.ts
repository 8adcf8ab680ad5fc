// Runs control-channel commands inside a test namespace (the test process cannot reach a namespace's loopback):
// argv[2] is JSON { target, sessions: string[][][] }; each session is one connection carrying its commands in turn.
// Prints one JSON line: per session, per command, { text } or { error: { name, result, message } }.
import { openControl } from '../../src/system/control-channel';
import type { ControlTarget } from '../../src/system/control-channel';

interface Job { target: ControlTarget; sessions: string[][][] }
type Outcome = { text: string } | { error: { name: string; result?: number; message: string } };

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  const out: Outcome[][] = [];
  for (const commands of job.sessions) {
    const results: Outcome[] = [];
    try {
      const s = await openControl(job.target);
      // Given all at once: the session must send them in turn.
      const all = commands.map((c) => s.command(c).then((text) => ({ text }), (e: Error & { result?: number }) => ({ error: { name: e.name, result: e.result, message: e.message } })));
      results.push(...await Promise.all(all));
      s.close();
    } catch (e) {
      const err = e as Error & { result?: number };
      results.push({ error: { name: err.name, result: err.result, message: err.message } });
    }
    out.push(results);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

void main();

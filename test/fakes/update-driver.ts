// Sends DNS UPDATEs from inside a test namespace (the test process cannot reach a namespace's addresses): argv[2] is
// JSON { target, zone, batches: { op, input | name+type }[][] }; each batch is one UPDATE, sent in turn. Prints one JSON
// line: per batch, 'ok' or the error's message. With `read: true` instead, the zone is read back (AXFR): one JSON line,
// its records' TTLs and keys (null when the name server does not hold it), or the error's message.
import { parseRecord } from '../../src/model/record';
import type { RecordData, RecordInput } from '../../src/model/record';
import type { ZoneName } from '../../src/model/zone-name';
import { recordKey } from '../../src/model/record';
import { recordsOfTransfer, transferZone } from '../../src/system/dns-axfr';
import { sendUpdate } from '../../src/system/dns-update';
import type { UpdateOp, UpdateTarget } from '../../src/system/dns-update';

type JobOp = { op: 'add' | 'delete'; input: RecordInput } | { op: 'delete-rrset'; name: string; type: RecordData['type'] };
interface Job { target: UpdateTarget; zone: string; batches: JobOp[][]; read?: boolean }

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  if (job.read) {
    const read = await transferZone(job.target, job.zone).then((a) => (a === undefined ? null : recordsOfTransfer(a).map((r) => `${r.ttl} ${recordKey(r)}`).sort()), (e: Error) => e.message);
    process.stdout.write(`${JSON.stringify(read)}\n`);
    return;
  }
  const out: string[] = [];
  for (const batch of job.batches) {
    const ops: UpdateOp[] = batch.map((o) => (o.op === 'delete-rrset' ? o : { op: o.op, record: parseRecord(job.zone as ZoneName, o.input) }));
    out.push(await sendUpdate(job.target, job.zone, ops).then(() => 'ok', (e: Error) => e.message));
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

void main();

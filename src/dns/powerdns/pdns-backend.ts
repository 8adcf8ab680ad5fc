// PowerDNS Authoritative behind the NameServerBackend interface. PowerDNS has no views by destination address, so
// every namespace has a pdns_server of its own (`--config-name=<view>`), listening on the namespace's addresses only,
// with its own SQLite database; zones are added, changed and removed through each instance's HTTP API on loopback, and
// each zone's ALLOW-AXFR-FROM metadata carries its namespace's allow-transfer list.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../../errors';
import { msg } from '../../i18n/msg';
import type { ZoneName } from '../../model/zone-name';
import type { DnsRecord } from '../../model/record';
import type { Settings } from '../../files/settings';
import { FileLock } from '../../store/file-lock';
import { readPdnsZones } from '../../store/pdns-db';
import type { BatchOptions, HeldZone, NameServerBackend, RecordOp, PrimarySpec, ServedRecords, ServerConfig, ZoneEvent, ZoneOp, ZoneOpResult, ZoneSpec, ZoneState } from '../backend';
import { apiError, ApiTimeoutError, PdnsApi } from './api';
import { Instances, listensOn } from './instances';
import { apiPortOf, renderInstanceConf } from './render';
import { readPdnsLogs } from './zone-log';
import { primaryOfRrsets, rrsetPatch, rrsetsToRecords, touchedRrsets } from './rrsets';
import type { Rrset } from './rrsets';

/** Requests a batch keeps in flight towards one instance. */
const BATCH_CONNECTIONS = 8;
/** How long a process waits for another one's instance starts and stops (a start waits up to 15 s for its API). */
const LIFECYCLE_WAIT_MS = 60_000;
/** The pauses before a deletion PowerDNS failed (HTTP 500) is asked again: 6.35 s in all, for a large transfer's storing. */
const DELETE_RETRY_MS = [50, 100, 200, 400, 800, 1600, 3200];
/** How long a change of a master zone's records waits for the one before it (of any zone, any process). */
const RECORDS_WAIT_MS = 30_000;
/** PowerDNS's kinds of zone whose records it holds itself (dnsmgr makes Master ones; Native is the same, NOTIFY aside). */
const PRIMARY_TYPES = ['MASTER', 'NATIVE', 'PRODUCER'];
/** `any` in an allow-transfer list, as ALLOW-AXFR-FROM entries. */
const ANY = ['0.0.0.0/0', '::/0'];

/** Either side of the instances' lock not to be had within its wait. */
function lifecycleBusy(): ToolError {
  return new ToolError('pdns_server', undefined, '', msg`another dnsmgr process kept starting or stopping PowerDNS instances for ${LIFECYCLE_WAIT_MS / 1000} s`);
}

export class PowerDnsBackend implements NameServerBackend {
  readonly viewPerNamespace = true;
  private readonly instances: Instances;
  private readonly apis = new Map<string, PdnsApi>();
  /** Starts and stops hold its exclusive side, zone changes its shared side. */
  private readonly lock: FileLock;
  /** Taken (exclusive) by each change of a master zone's records: one at a time, between processes too. */
  private readonly recordsLock: FileLock;

  constructor(private readonly settings: Settings) {
    this.instances = new Instances(settings.powerdns, settings.tools);
    this.lock = new FileLock(join(settings.powerdns.runDir, 'instances.lock'), { sharedWaitMs: LIFECYCLE_WAIT_MS, exclusiveWaitMs: LIFECYCLE_WAIT_MS }, lifecycleBusy);
    this.recordsLock = new FileLock(join(settings.powerdns.runDir, 'records.lock'), { sharedWaitMs: RECORDS_WAIT_MS, exclusiveWaitMs: RECORDS_WAIT_MS }, lifecycleBusy);
  }

  /** The zone's records as the instance serves them (PowerDNS's API), its SOA and DNSSEC records left out, and its SOA's primary. */
  async readRecords(view: string, name: ZoneName): Promise<ServedRecords | undefined> {
    if (!this.hasView(view)) return undefined;
    return this.lock.shared(async () => {
      const id = zoneId(name);
      const answer = await this.api(view).call('GET', `/zones/${id}`);
      if (answer.status === 404 || answer.status === 422) return undefined;
      if (answer.status !== 200) throw apiError(`PowerDNS API GET /zones/${id}`, answer);
      const rrsets = (answer.body as { rrsets?: Rrset[] }).rrsets ?? [];
      return { records: rrsetsToRecords(rrsets), primary: primaryOfRrsets(rrsets) ?? '' };
    });
  }

  /**
   * One PATCH of the record sets the ops touch, each sent whole as it is to be (read from the instance first), which
   * PowerDNS applies all or none, advancing the serial once (SOA-EDIT-API INCREASE, as a DNS UPDATE does under BIND);
   * then NOTIFY to the zone's ALSO-NOTIFY list. Record changes go one at a time, between processes too:
   * two read before either wrote would lose one's change (two certificate tools adding TXT records to one name).
   */
  async updateRecords(view: string, name: ZoneName, ops: readonly RecordOp[]): Promise<void> {
    if (ops.length === 0) return;
    const id = zoneId(name);
    await this.lock.shared(async () => {
      const done = await this.recordsLock.exclusive(async () => {
        const api = this.api(view);
        const touched = touchedRrsets(ops);
        // A few record sets are read each alone; many (a long delete) with the whole zone at once.
        const reads = touched.length <= BATCH_CONNECTIONS
          ? touched.map((t) => `/zones/${id}?rrset_name=${encodeURIComponent(`${t.name}.`)}&rrset_type=${t.type}`)
          : [`/zones/${id}`];
        const answers = await Promise.all(reads.map((path) => api.call('GET', path)));
        const failed = answers.find((a) => a.status !== 200);
        if (failed !== undefined) throw apiError(`PowerDNS API GET /zones/${id}`, failed);
        const current = answers.flatMap((a) => (a.body as { rrsets?: Rrset[] }).rrsets ?? []);
        const rrsets = rrsetPatch(current, ops);
        if (rrsets.length === 0) return;
        const answer = await api.call('PATCH', `/zones/${id}`, { rrsets });
        if (answer.status !== 204) throw apiError(`PowerDNS API PATCH /zones/${id}`, answer);
        // The change is made: a NOTIFY not sent now goes at PowerDNS's next check of its master zones' serials.
        await api.call('PUT', `/zones/${id}/notify`).catch(() => undefined);
        await this.notifyFromNamespace(api, view, id, name);
      });
      if (done === undefined) throw new ToolError('pdns_server', undefined, '', msg`other dnsmgr processes kept changing master zones' records for ${RECORDS_WAIT_MS / 1000} s`);
    });
  }

  /**
   * Every view with addresses (a namespace's own) gets an instance: its configuration written, its database made,
   * the instance started, or restarted when its configuration changed; instances of views no longer there are stopped.
   * The shared view (no addresses) has no instance: under PowerDNS every namespace has its own.
   */
  async applyViews(config: ServerConfig, commitIfCurrent: (replace: () => void) => boolean, force = false): Promise<'unchanged' | 'applied' | 'stale'> {
    const views = config.views.filter((v) => v.ips !== undefined);
    // One process at a time starts and stops instances: two starting the same one would leave the loser's pid file.
    return this.lifecycle(async () => {
      const ports = this.instances.allocatePorts(views.map((v) => v.name));
      const wanted = new Map(views.map((v) => {
        const apiPort = ports.get(v.name) as number;
        const { database, socketDir } = this.instances.files(v.name);
        // Each instance has a key of its own, made with it and kept in its configuration (0600).
        const apiKey = apiKeyOf(this.instances.readConf(v.name)) ?? newApiKey();
        return [v.name, renderInstanceConf({ view: v.name, ips: v.ips ?? [], database, socketDir, apiKey, apiPort, dnsPort: apiPort + 1 })];
      }));
      const gone = this.instances.known().filter((v) => !wanted.has(v));
      const changed = [...wanted].filter(([view, text]) => this.instances.readConf(view) !== text).map(([view]) => view);
      // Running with another configuration than its file's (a process died between writing the file and restarting it).
      const stale = [...wanted].filter(([view, text]) => !changed.includes(view) && this.instances.pid(view) !== undefined && this.instances.startedWith(view) !== text).map(([view]) => view);
      for (const view of wanted.keys()) this.instances.ensureDatabase(view);
      if (changed.length > 0 || gone.length > 0) {
        const replace = (): void => {
          for (const view of changed) this.instances.writeConf(view, wanted.get(view) as string);
          // A view gone keeps its database until forgetView; without its configuration nothing starts it again.
          for (const view of gone) this.instances.removeConf(view);
        };
        if (!commitIfCurrent(replace)) return 'stale';
      }
      for (const view of gone) {
        this.dropApi(view);
        await this.instances.stop(view);
        // Everything of it goes now: a namespace made later may get the same id, and must not find these zones.
        this.instances.remove(view);
      }
      for (const view of [...changed, ...stale]) {
        this.dropApi(view);
        await this.instances.stop(view);
      }
      const started = await this.startMissingLocked();
      return changed.length > 0 || gone.length > 0 || started.length > 0 || force ? 'applied' : 'unchanged';
    });
  }

  async startMissing(): Promise<string[]> {
    return this.lifecycle(() => this.startMissingLocked());
  }

  private async startMissingLocked(): Promise<string[]> {
    const started: string[] = [];
    for (const view of this.instances.configured()) {
      if (this.instances.pid(view) !== undefined) continue;
      this.dropApi(view);
      await this.instances.start(view, () => this.answers(view));
      started.push(view);
    }
    return started;
  }

  async stopAll(): Promise<void> {
    await this.lifecycle(async () => {
      for (const view of this.instances.configured()) {
        this.dropApi(view);
        await this.instances.stop(view);
      }
    });
  }

  /** Runs `fn` holding the instances' lock, waiting up to a minute for another process's starts and stops. */
  private async lifecycle<T>(fn: () => Promise<T>): Promise<T> {
    const done = await this.lock.exclusive(fn);
    if (done === undefined) throw lifecycleBusy();
    return done.value;
  }

  hasView(view: string): boolean {
    return this.instances.readConf(view) !== '';
  }

  async deleteZone(view: string, name: ZoneName): Promise<'deleted' | 'missing'> {
    return this.lock.shared(() => this.deleteIn(view, name));
  }

  async applyZones(ops: readonly ZoneOp[], options: BatchOptions = {}): Promise<ZoneOpResult[]> {
    const results = new Array<ZoneOpResult>(ops.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ops.length) {
        const i = next++;
        const op = ops[i] as ZoneOp;
        let result: ZoneOpResult;
        const progress = { written: false };
        try {
          result = { ok: true, outcome: await this.applyOne(op, progress) };
        } catch (error) {
          // Once PowerDNS has taken part of the change (or may have: no answer in time), undoing the record would
          // lose what it holds: the change stays pending and the next request makes it again (each step can repeat).
          result = progress.written || error instanceof ApiTimeoutError ? { ok: false, error, unsettled: true } : { ok: false, error };
        }
        results[i] = result;
        options.onResult?.(i, result);
      }
    };
    try {
      // Zone changes hold the shared side of the instances' lock: no other process restarts an instance under them.
      await this.lock.shared(() => Promise.all(Array.from({ length: Math.min(BATCH_CONNECTIONS, ops.length) }, worker)));
    } catch (error) {
      // The lock was not to be had (another process kept starting instances): nothing was sent.
      ops.forEach((_, i) => {
        if (results[i] !== undefined) return;
        results[i] = { ok: false, error };
        options.onResult?.(i, results[i] as ZoneOpResult);
      });
    }
    return results;
  }

  private async applyOne(op: ZoneOp, progress: { written: boolean }): Promise<'added' | 'exists' | 'modified' | 'moved' | 'deleted' | 'missing'> {
    switch (op.action) {
      case 'delete':
        return this.deleteIn(op.view, op.name);
      case 'move': {
        // A master zone goes with its data, as BIND moves its file along: read where it was before it goes from there.
        const data = op.zone.primary !== undefined && this.hasView(op.from) ? await this.exportZone(op.from, op.zone.name) : undefined;
        if (this.hasView(op.from) && (await this.deleteIn(op.from, op.zone.name)) === 'deleted') progress.written = true;
        await this.put(op.zone, 'add', progress, data);
        return 'moved';
      }
      case 'add':
        return this.put(op.zone, 'add', progress);
      case 'modify':
        return this.put(op.zone, 'modify', progress);
    }
  }

  /**
   * Adds the zone (an add of a zone already there gives it these masters: 'exists'), or changes a held one's masters;
   * then its transfer list, and for an add a transfer asked for at once rather than at the next refresh cycle.
   */
  private async put(zone: ZoneSpec, action: 'add' | 'modify', progress: { written: boolean }, data?: string): Promise<'added' | 'exists' | 'modified'> {
    if (zone.primary !== undefined) return this.putMaster(zone, zone.primary, action, progress, data);
    const api = this.api(zone.view);
    const id = zoneId(zone.name);
    const masters = [...zone.masters];
    let outcome: 'added' | 'exists' | 'modified';
    if (action === 'add') {
      const created = await api.call('POST', '/zones', { name: id, kind: 'Slave', masters });
      if (created.status === 201) outcome = 'added';
      else if (created.status === 409) outcome = 'exists';
      else throw apiError(`PowerDNS API POST /zones ${id}`, created);
      if (outcome === 'added') progress.written = true;
    } else {
      outcome = 'modified';
    }
    if (outcome !== 'added') {
      const changed = await api.call('PUT', `/zones/${id}`, { kind: 'Slave', masters });
      if (changed.status !== 204) throw apiError(`PowerDNS API PUT /zones/${id}`, changed);
      progress.written = true;
    }
    await this.setMetadata(api, id, 'ALLOW-AXFR-FROM', aclEntries(zone.allowTransfer));
    // A zone found there already may be one a killed request added and never had transferred: asked for as well. A
    // refusal changes nothing of the zone, which PowerDNS transfers at its next check anyway (xfr-cycle-interval).
    if (action === 'add') await api.call('PUT', `/zones/${id}/axfr-retrieve`).catch(() => undefined);
    return outcome;
  }

  /**
   * A master zone (kind Master: PowerDNS sends NOTIFY for it) holding its records itself. A new one is made from
   * `data` (a move's, read where it was) or the database's zone file, in one request; one held with data keeps it, as
   * BIND keeps a zone's file, and is only given its settings; one held without (a slave zone never transferred) is
   * made again. The serial advances by one with each change through the API (SOA-EDIT-API INCREASE); DNSSEC is
   * PowerDNS's own live signing, its key made when the zone is signed and removed when it no longer is.
   */
  private async putMaster(zone: ZoneSpec, primary: PrimarySpec, action: 'add' | 'modify', progress: { written: boolean }, data?: string): Promise<'added' | 'exists' | 'modified'> {
    const api = this.api(zone.view);
    const id = zoneId(zone.name);
    const settings = { kind: 'Master', masters: [], soa_edit_api: 'INCREASE', dnssec: primary.dnssec };
    const held = await api.call('GET', `/zones/${id}?rrsets=false`);
    // PowerDNS 4.7 answers a zone it does not have with 422 on some paths, 404 on others.
    const missing = held.status === 404 || held.status === 422;
    if (!missing && held.status !== 200) throw apiError(`PowerDNS API GET /zones/${id}`, held);
    if (missing && action === 'modify') throw apiError(`PowerDNS API GET /zones/${id}`, held);
    const hasData = !missing && Number((held.body as { serial?: unknown }).serial) > 0;
    let created = false;
    if (!hasData) {
      if (!missing && (await this.deleteIn(zone.view, zone.name)) === 'deleted') progress.written = true;
      const answer = await api.call('POST', '/zones', { name: id, ...settings, zone: data ?? primary.content() });
      // 409: another request made it meanwhile; given these settings below like any zone held.
      if (answer.status !== 201 && answer.status !== 409) throw apiError(`PowerDNS API POST /zones ${id}`, answer);
      created = answer.status === 201;
      if (created) progress.written = true;
    }
    if (!created) {
      const changed = await api.call('PUT', `/zones/${id}`, settings);
      if (changed.status !== 204) throw apiError(`PowerDNS API PUT /zones/${id}`, changed);
      progress.written = true;
    }
    // dnsmgr's slave servers may transfer it too: their addresses beyond the namespace's list are kept apart
    // (SLAVE_AXFR), so that the list read back is the namespace's, which is what the zone is compared with.
    const own = aclEntries(zone.allowTransfer);
    const slaves = (primary.transferTo ?? []).filter((a) => !own.includes(a) && !own.includes(aclOf(a)));
    await this.setMetadata(api, id, 'ALLOW-AXFR-FROM', [...own, ...slaves]);
    await this.setMetadata(api, id, SLAVE_AXFR, slaves);
    await this.setMetadata(api, id, 'ALSO-NOTIFY', [...primary.alsoNotify]);
    // Its secondaries hear of it now, rather than at PowerDNS's next check of its master zones.
    await api.call('PUT', `/zones/${id}/notify`).catch(() => undefined);
    // And dnsmgr's own, from the namespace's address (notifyFromNamespace).
    await notify(zone.name, primary.alsoNotify, primary.notifySource ?? []);
    if (action === 'modify') return 'modified';
    return missing ? 'added' : 'exists';
  }

  /** The zone's records as zone-file text, from the view's instance; undefined when it does not hold the zone. */
  private async exportZone(view: string, name: ZoneName): Promise<string | undefined> {
    const id = zoneId(name);
    const answer = await this.api(view).call('GET', `/zones/${id}/export`);
    if (answer.status === 404 || answer.status === 422) return undefined;
    if (answer.status !== 200 || typeof answer.body !== 'string') throw apiError(`PowerDNS API GET /zones/${id}/export`, answer);
    // A zone held without its SOA (a slave never transferred) has nothing worth moving.
    return /\sIN\s+SOA\s/.test(answer.body) ? answer.body : undefined;
  }

  /**
   * The NOTIFY PowerDNS cannot send: from the namespace's address (the first its instance answers on, of each family),
   * which the zone's secondaries have as its master, to its ALSO-NOTIFY list. Nothing for a zone without that list, or
   * an instance on the loopback only (a namespace without addresses).
   */
  private async notifyFromNamespace(api: PdnsApi, view: string, id: string, zone: string): Promise<void> {
    const listen = listenedOn(this.instances.readConf(view));
    const from = [listen.find((a) => !a.includes(':')), listen.find((a) => a.includes(':'))].filter((a): a is string => a !== undefined);
    if (from.length === 0) return;
    const answer = await api.call('GET', `/zones/${id}/metadata/ALSO-NOTIFY`).catch(() => undefined);
    const to = answer?.status === 200 ? (answer.body as { metadata?: unknown }).metadata : undefined;
    if (!Array.isArray(to) || to.length === 0) return;
    await notify(zone, to.map(String), from);
  }

  /** A zone's metadata of one kind set to these entries, or removed for none. */
  private async setMetadata(api: PdnsApi, id: string, kind: string, entries: readonly string[]): Promise<void> {
    const path = `/zones/${id}/metadata/${kind}`;
    const answer = entries.length === 0 ? await api.call('DELETE', path) : await api.call('PUT', path, { metadata: entries });
    if (answer.status !== 200 && answer.status !== 204) throw apiError(`PowerDNS API ${entries.length === 0 ? 'DELETE' : 'PUT'} ${path}`, answer);
  }

  private async deleteIn(view: string, name: ZoneName): Promise<'deleted' | 'missing'> {
    const id = zoneId(name);
    const api = this.api(view);
    let answer = await api.call('DELETE', `/zones/${id}`);
    // PowerDNS reads the zone, then deletes it, in one SQLite transaction: while a transfer into the same instance is
    // being stored, SQLite refuses that second writer at once instead of making it wait ("database is locked", logged;
    // HTTP 500 answered), and the deletion is rolled back. Asked again once the transfer is stored; repeating is safe.
    for (const pause of DELETE_RETRY_MS) {
      if (answer.status !== 500) break;
      await sleep(pause);
      answer = await api.call('DELETE', `/zones/${id}`);
    }
    if (answer.status === 204) return 'deleted';
    // PowerDNS 4.7 answers a zone it does not have with 422 (404 in other versions): the zone's own page says which.
    if (answer.status === 404 || (answer.status === 422 && (await api.call('GET', `/zones/${id}?rrsets=false`)).status === 404)) return 'missing';
    throw apiError(`PowerDNS API DELETE /zones/${id}`, answer);
  }

  /** Read from the instance's database (read-only): its zones, masters and transfer lists in one query. */
  async listZones(view: string): Promise<HeldZone[]> {
    if (!this.hasView(view)) return [];
    const queryOn = listenedOn(this.instances.readConf(view));
    return readPdnsZones(this.instances.files(view).database).map((r) => {
      // PowerDNS may give an entry back with its full-length prefix: compared as the namespace's list has them.
      const slaves = r.slaveAxfrFrom.map(fromAcl);
      const xfer = r.allowAxfrFrom.filter((a) => !slaves.includes(fromAcl(a)));
      const allowTransfer = ANY.every((a) => xfer.includes(a)) && xfer.length === ANY.length ? ['any'] : xfer.map(fromAcl);
      // A primary holds its records itself: no masters, whatever the column kept from a slave zone it was.
      if (PRIMARY_TYPES.includes(r.type)) return { name: r.name.toLowerCase(), type: 'master' as const, masters: [], queryOn, allowTransfer };
      return { name: r.name.toLowerCase(), masters: r.master === '' ? [] : r.master.split(',').map((m) => m.trim()), queryOn, allowTransfer };
    });
  }

  forgetView(view: string): void {
    this.dropApi(view);
    // applyViews stopped its instance when the view left the configuration.
    if (this.instances.pid(view) === undefined) this.instances.remove(view);
  }

  /** Each instance's zones as its API reports them: the serial held (0 = never transferred) and the last check. */
  async readZoneStates(onZone: (state: ZoneState) => void): Promise<void> {
    for (const view of this.instances.configured()) {
      const answer = await this.api(view).call('GET', '/zones');
      if (answer.status !== 200 || !Array.isArray(answer.body)) throw apiError('PowerDNS API GET /zones', answer);
      for (const z of answer.body as { name: string; kind: string; serial: number; last_check: number }[]) {
        const held = z.serial > 0;
        const name = z.name.replace(/\.$/, '').toLowerCase();
        // A master zone is loaded whenever PowerDNS has its data (it never checks one against a master).
        if (z.kind !== 'Slave') onZone({ view, name, serial: held ? z.serial : null, loaded: held ? Math.floor(Date.now() / 1000) : null, expires: null, refresh: null });
        else onZone({ view, name, serial: held ? z.serial : null, loaded: held && z.last_check > 0 ? z.last_check : null, expires: null, refresh: null });
      }
    }
  }

  /** PowerDNS tells of transfers, and why one failed, only in its log: each instance's is read where the last reading stopped. */
  async readZoneEvents(cursor: string, onEvent: (event: ZoneEvent) => void): Promise<string> {
    return readPdnsLogs(new Map(this.instances.configured().map((view) => [view, this.instances.files(view).log])), cursor, onEvent);
  }

  async retransfer(view: string, name: ZoneName): Promise<void> {
    await this.lock.shared(() => this.retrieve(view, name));
  }

  private async retrieve(view: string, name: ZoneName): Promise<void> {
    const id = zoneId(name);
    const answer = await this.api(view).call('PUT', `/zones/${id}/axfr-retrieve`);
    if (answer.status !== 200) throw apiError(`PowerDNS API PUT /zones/${id}/axfr-retrieve`, answer);
  }

  /** PowerDNS's retrieval checks the master's serial first and transfers only a newer zone. */
  async refresh(view: string, name: ZoneName): Promise<void> {
    await this.retransfer(view, name);
  }

  /** The instances bind their addresses whether the interface has them yet or not (non-local-bind): nothing to do. */
  async rescanAddresses(): Promise<void> {}

  async ping(_timeoutMs: number): Promise<boolean> {
    return this.instances.configured().every((view) => this.instances.pid(view) !== undefined);
  }

  private async answers(view: string): Promise<boolean> {
    try {
      return (await this.api(view).call('GET', '')).status === 200;
    } catch {
      return false;
    }
  }

  /**
   * The view's API client. The key is sent only once the port is seen to be the running instance's own: a port
   * another program took while the instance was down gets nothing.
   */
  private api(view: string): PdnsApi {
    let api = this.apis.get(view);
    if (!api) {
      const conf = this.instances.readConf(view);
      const port = apiPortOf(conf);
      const key = apiKeyOf(conf);
      if (port === undefined || key === undefined) throw new ToolError(`PowerDNS ${view}`, undefined, '', msg`has no instance (no configuration file for view ${view})`);
      const pid = this.instances.pid(view);
      if (pid === undefined || !listensOn(pid, port)) throw new ToolError(`PowerDNS ${view}`, undefined, '', msg`is not running (nothing of its own listens on 127.0.0.1 port ${port})`);
      api = new PdnsApi(port, key, BATCH_CONNECTIONS);
      this.apis.set(view, api);
    }
    return api;
  }

  private dropApi(view: string): void {
    this.apis.get(view)?.close();
    this.apis.delete(view);
  }

}

/** The API key a configuration file holds, or undefined. */
function apiKeyOf(conf: string): string | undefined {
  return /^api-key=([0-9a-f]{32,128})$/m.exec(conf)?.[1];
}

function newApiKey(): string {
  return randomBytes(24).toString('hex');
}

/** The zone as the API names it: absolute, with its trailing dot. Stored names are validated, lowercase, ASCII. */
function zoneId(name: ZoneName): string {
  return `${name}.`;
}

/** The addresses a configuration file says the instance answers on (none: loopback only, for an addressless namespace). */
function listenedOn(conf: string): string[] {
  const m = /^local-address=(.*)$/m.exec(conf);
  const port = /^local-port=([0-9]+)$/m.exec(conf)?.[1];
  if (!m || port !== '53') return [];
  return (m[1] as string).split(',').map((a) => a.trim()).filter(Boolean);
}

/** An allow-transfer list as ALLOW-AXFR-FROM entries. */
function aclEntries(list: readonly string[]): string[] {
  return list.includes('any') ? ANY : [...list];
}

/** An address as the namespace's list may have it, with its full-length prefix. */
function aclOf(address: string): string {
  return address.includes(':') ? `${address}/128` : `${address}/32`;
}

/** The ALLOW-AXFR-FROM entries a master zone has for dnsmgr's slave servers only (a custom metadata kind). */
export const SLAVE_AXFR = 'X-DNSMGR-SLAVE-AXFR';

/** NOTIFY sent by dnsmgr (system/dns-notify), loaded only when there is one to send: node:dgram is no part of other requests. */
async function notify(zone: string, to: readonly string[], from: readonly string[]): Promise<void> {
  if (to.length === 0 || from.length === 0) return;
  const { sendNotify } = await import('../../system/dns-notify');
  await sendNotify(zone, { to, from });
}

/** An ALLOW-AXFR-FROM entry as the namespace's list has it: a single address without its full-length prefix. */
function fromAcl(entry: string): string {
  return entry.replace(/\/32$/, '').replace(/^([0-9a-f:]*:[0-9a-f:]*)\/128$/i, '$1');
}


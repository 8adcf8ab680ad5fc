// BIND 9 behind the NameServerBackend interface: views in one generated include, zones added at run time with rndc.
import { createHash } from 'node:crypto';
import { chownSync, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { InternalError, ToolError } from '../../errors';
import { joinMsgs, msg } from '../../i18n/msg';
import type { ZoneName } from '../../model/zone-name';
import type { DnsRecord } from '../../model/record';
import type { Settings } from '../../files/settings';
import { commitCandidate, safeUnlink, writeCandidate, writeFileAtomic } from '../../files/atomic-write';
import { mkdirLikeParent } from '../../files/mkdir-like-parent';
import { namedCheckconf } from '../../system/named-checkconf';
import { isAlreadyExists, isZoneNotFound, rndc } from '../../system/rndc';
import type { RndcTarget } from '../../system/rndc';
import { commandLabel, ControlCommandError, openControl, RESULT_NOT_FOUND } from '../../system/control-channel';
import { httpGetStream } from '../../system/http-get';
import { executable } from '../../system/executable';
import type { BatchOptions, HeldZone, NameServerBackend, ServedRecords, ServerConfig, ZoneEvent, ZoneOp, ZoneOpResult, ZoneOutcome, ZoneSpec, ZoneState } from '../backend';
import { LMDB_MAPSIZE_BYTES, listenFileOf, renderListen, renderViews, renderZoneConfig, updateKeyName, updateKeysFileOf, updateKeySecret } from './render';
import { writeUpdateKeys } from './update-keys';
import { readSoa, sendUpdate, UpdateRefused } from '../../system/dns-update';
import type { UpdateOp } from '../../system/dns-update';
import type { RecordOp } from '../backend';
import { keepRewrite, listNzdZones, restoreRewrite, rewriteNzd } from './nzd';
import { NzdLock } from './nzd-lock';
import { logEvent } from '../../files/event-log';
import { ZoneStatsScanner } from './zone-stats';
import { readZoneLog } from './zone-log';

/** Times an SOA's primary is read and sent again when another change of the zone came in between. */
const SOA_TRIES = 3;

/** named answers the statistics channel from memory; 100,000 zones take a few seconds to write out. */
const STATS_TIMEOUT_MS = 120_000;

/**
 * Control connections a batch opens, each carrying one command at a time. named runs zone changes one by one in its
 * exclusive mode; more connections keep it fed while transfers compete for the CPUs. 5,000 zones into named (2 cores,
 * transfers running): 1 connection 400/s, 4: 420–540/s, 8: 630–650/s, 16: 540/s (scripts/bench-bulk.mjs). Again with
 * each zone's ACLs in its clause, 10,000 zones under load 8: 2 connections 153/s, 8: 289/s, 32: 258/s.
 */
const BATCH_CONNECTIONS = 8;

/** How a batch reaches named: one sender per worker, each on a control connection of its own. */
interface CommandChannel {
  senders: Send[];
  close(): void;
}

type Send = (args: readonly string[]) => Promise<string>;

export class BindBackend implements NameServerBackend {
  readonly viewPerNamespace = false;
  private readonly target: RndcTarget;
  private readonly nzdLock: NzdLock;

  constructor(private readonly settings: Settings) {
    const n = settings.named;
    this.target = { rndc: settings.tools.rndc, keyFile: n.rndcKey, server: n.rndcServer, port: n.rndcPort };
    this.nzdLock = new NzdLock(n.nzdLock);
  }

  /** A command that makes named read or write a new-zones database (addzone, modzone, delzone, reconfig). */
  private readonly nzdCommand = (args: readonly string[]): Promise<string> => this.nzdLock.shared(() => rndc(this.target, args));

  async applyViews(config: ServerConfig, commitIfCurrent: (replace: () => void) => boolean, force = false): Promise<'unchanged' | 'applied' | 'stale'> {
    const { named, tools } = this.settings;
    mkdirLikeParent(named.nzdDir);
    for (const v of config.views) mkdirLikeParent(this.viewZoneDir(v.name));
    // The views and the addresses named listens on change together, and are checked and replaced together.
    const listenFile = listenFileOf(named.views);
    const updateKeys = writeUpdateKeys(named, config.views.map((v) => v.name));
    const files = [
      { target: named.views, text: renderViews(config.views, { nzdDir: named.nzdDir, updateKeys }) },
      { target: listenFile, text: renderListen(config.listen, { server: named.rndcServer, port: named.updatePort }) },
    ];
    if (files.every((f) => readOrEmpty(f.target) === f.text)) {
      if (!force) return 'unchanged';
      // The files are in place but named may not have read them (a reconfig that failed or was cut short).
      await this.nzdCommand(['reconfig']);
      return 'applied';
    }
    const candidates: { target: string; candidate: string }[] = [];
    let check = '';
    try {
      for (const f of files) candidates.push({ target: f.target, candidate: writeCandidate(f.target, f.text, 0o644) });
      const [views, listen] = candidates.map((c) => c.candidate);
      // listen-on is only valid inside options: the candidate is checked where named.conf includes it.
      check = writeCandidate(named.views, `options {\n\tinclude "${listen}";\n};\ninclude "${views}";\n`, 0o600);
      await namedCheckconf(tools.namedCheckconf, check);
    } catch (err) {
      for (const c of candidates) safeUnlink(c.candidate);
      throw err;
    } finally {
      if (check !== '') safeUnlink(check);
    }
    if (!commitIfCurrent(() => { for (const c of candidates) commitCandidate(c.candidate, c.target); })) {
      for (const c of candidates) safeUnlink(c.candidate);
      return 'stale';
    }
    await this.nzdCommand(['reconfig']);
    return 'applied';
  }

  /** The key a view's master zones take updates signed with, from the update keys' file. */
  private updateKey(view: string): { name: string; secret: string } {
    const secret = updateKeySecret(readOrEmpty(updateKeysFileOf(this.settings.named.views)));
    if (secret === undefined) throw new InternalError(msg`${updateKeysFileOf(this.settings.named.views)} has no key: the views were never written (dnsmgr init)`);
    return { name: updateKeyName(view), secret };
  }

  /**
   * An AXFR signed with the view's update key, over the loopback port of dnsmgr's own requests: the key selects the
   * view, and a master zone allows transfers to it.
   */
  async readRecords(view: string, name: ZoneName): Promise<ServedRecords | undefined> {
    const { rndcServer, updatePort } = this.settings.named;
    const { transferZone, recordsOfTransfer, primaryOfTransfer } = await import('../../system/dns-axfr');
    const answers = await transferZone({ server: rndcServer, port: updatePort, key: this.updateKey(view) }, name);
    return answers && { records: recordsOfTransfer(answers), primary: primaryOfTransfer(answers) ?? '' };
  }

  /**
   * One UPDATE. A new primary for the SOA is sent with the serial one past the SOA read just before, on the condition
   * that it is still that SOA: a change another request made in between has the UPDATE refused (NXRRSET), and read
   * again.
   */
  async updateRecords(view: string, name: ZoneName, ops: readonly RecordOp[]): Promise<void> {
    if (ops.length === 0) return;
    const { rndcServer, updatePort } = this.settings.named;
    const target = { server: rndcServer, port: updatePort, key: this.updateKey(view) };
    const records = ops.filter((op): op is UpdateOp => op.op !== 'primary');
    const primary = ops.findLast((op) => op.op === 'primary');
    if (primary === undefined) return sendUpdate(target, name, records);
    for (let attempt = 1; ; attempt++) {
      const soa = await readSoa(target, name);
      const change = soa.mname === primary.mname.toLowerCase() ? undefined : { soa, mname: primary.mname };
      if (change === undefined && records.length === 0) return;
      try {
        return await sendUpdate(target, name, records, change);
      } catch (err) {
        if (!(err instanceof UpdateRefused && err.rcode === 'NXRRSET') || attempt >= SOA_TRIES) throw err;
      }
    }
  }

  /** The view is in the views file, which has the update keys (a views file of an older dnsmgr lacks them: rewritten). */
  hasView(view: string): boolean {
    const text = readOrEmpty(this.settings.named.views);
    return text.includes(`\nview "${view}" {`) && text.includes(`\ninclude "${updateKeysFileOf(this.settings.named.views)}";\n`);
  }

  async deleteZone(view: string, name: ZoneName): Promise<'deleted' | 'missing'> {
    return this.deleteWith(this.nzdCommand, view, name);
  }

  /**
   * A view's changes (adds, changes, deletions, and moves out of views named no longer has), when there are at least
   * NamedBulkLoad of them, are made in its new-zones database at once and read by named with one reconfig; everything
   * else goes a command per zone over a few connections.
   */
  async applyZones(ops: readonly ZoneOp[], options: BatchOptions = {}): Promise<ZoneOpResult[]> {
    const results: ZoneOpResult[] = new Array<ZoneOpResult>(ops.length);
    const settle = (i: number, result: ZoneOpResult): void => {
      results[i] = result;
      options.onResult?.(i, result);
    };
    if (ops.length === 0) return results;
    for (const view of new Set(ops.flatMap((op) => (op.action === 'delete' ? [] : [op.zone.view])))) mkdirLikeParent(this.viewZoneDir(view));
    const { bulk, single } = this.bulkGroups(ops);
    const sendEach = async (indexes: readonly number[]): Promise<void> => {
      if (indexes.length === 0) return;
      try {
        await this.nzdLock.shared(() => this.sendEach(ops, indexes, settle));
      } catch (error) {
        // The lock was not to be had (a bulk change of another process outlasted the wait): nothing was sent.
        for (const i of indexes) if (results[i] === undefined) settle(i, { ok: false, error });
      }
    };
    await sendEach(single);
    for (const [view, group] of bulk) {
      if (!existsSync(this.nzdFile(view))) {
        // named makes a view's database with its first zone: that one goes as a command (a deletion needs none: a
        // view without a database has no zone to delete).
        const first = group.findIndex((i) => (ops[i] as ZoneOp).action !== 'delete');
        await sendEach(first < 0 ? group.splice(0) : group.splice(first, 1));
        if (!existsSync(this.nzdFile(view))) {
          await sendEach(group.splice(0));
          continue;
        }
      }
      const done = await this.changeInBulk(view, group.map((i) => ops[i] as ZoneOp));
      if (done === undefined) await sendEach(group);
      else group.forEach((i, k) => settle(i, done[k] as ZoneOpResult));
    }
    return results;
  }

  /** Which ops go in bulk (by view, indexes into `ops`) and which one by one. */
  private bulkGroups(ops: readonly ZoneOp[]): { bulk: Map<string, number[]>; single: number[] } {
    const threshold = this.settings.named.bulkLoad;
    // A request's one zone goes as a command, without a look at the views file.
    if (threshold <= 0 || ops.length < threshold) return { bulk: new Map(), single: ops.map((_, i) => i) };
    const byView = new Map<string, number[]>();
    const views = new Set([...readOrEmpty(this.settings.named.views).matchAll(/\nview "([^"]+)" \{/g)].map((m) => m[1]));
    ops.forEach((op, i) => {
      // A move out of a view named no longer has (an update from a view per namespace) is its file and an add.
      if (op.action === 'move' && views.has(op.from)) return;
      const view = op.action === 'delete' ? op.view : op.zone.view;
      const group = byView.get(view);
      if (group) group.push(i);
      else byView.set(view, [i]);
    });
    const bulk = new Map([...byView].filter(([, group]) => threshold > 0 && group.length >= threshold));
    const { mdbLoad, mdbDump } = this.settings.tools;
    if (bulk.size > 0 && !(executable(mdbLoad) && executable(mdbDump))) bulk.clear();
    const inBulk = new Set([...bulk.values()].flat());
    return { bulk, single: ops.map((_, i) => i).filter((i) => !inBulk.has(i)) };
  }

  /**
   * Makes the changes in the view's new-zones database, rewritten whole, and has named read it, holding the database's
   * lock from the rewrite until named has read it. undefined when the changes are better sent one by one: the lock
   * stayed taken, or the rewrite failed (a tool missing or failing, a file it may not chown), with named's database
   * untouched. named refusing the reconfig: the old database is put back and the changes fail. named not answering it
   * (down, hung): unsettled — named has them in its configuration and will load them when it next reads it, so they
   * stay pending and the next request makes them again.
   */
  private async changeInBulk(view: string, ops: readonly ZoneOp[]): Promise<ZoneOpResult[] | undefined> {
    const file = this.nzdFile(view);
    const put = ops.flatMap((op) => (op.action === 'delete' ? [] : [{
      name: op.zone.name,
      clause: renderZoneConfig(op.zone, this.zoneFile(view, op.zone.name)),
      // modzone's rule: a zone named does not have is not added back by a change.
      ifHeld: op.action === 'modify',
    }]));
    const remove = ops.flatMap((op) => (op.action === 'delete' ? [op.name] : []));
    const s = (from: number, to: number): string => ((to - from) / 1000).toFixed(2);
    const asked = Date.now();
    let written = false;
    try {
      const done = await this.nzdLock.exclusive(async (): Promise<{ held: Set<string> } | { refused: unknown } | undefined> => {
        const locked = Date.now();
        for (const op of ops) if (op.action === 'move') this.moveZoneFile(op.from, view, op.zone.name);
        let held: Set<string>;
        try {
          held = await rewriteNzd(file, { put, remove }, LMDB_MAPSIZE_BYTES, { load: this.settings.tools.mdbLoad, dump: this.settings.tools.mdbDump });
        } catch (error) {
          logEvent(this.settings.logFile, 'bulk', `rewriting the new-zones database of view ${view} failed, its ${ops.length} changes go one by one: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
        written = true;
        const rewritten = Date.now();
        try {
          // named answers once it has read the whole configuration, every zone of every view: give it time.
          await rndc({ ...this.target, timeoutMs: BULK_RECONFIG_TIMEOUT_MS }, ['reconfig']);
        } catch (error) {
          if (!(error instanceof ControlCommandError)) throw error;
          // named kept its configuration, and the database it has open: that one goes back in its place.
          restoreRewrite(file);
          return { refused: error };
        }
        keepRewrite(file);
        // As delzone -clean: the deleted zones' files and journals go, now that named has none of them.
        for (const name of remove) for (const suffix of ['', '.jnl']) safeUnlink(`${this.zoneFile(view, name)}${suffix}`);
        logEvent(this.settings.logFile, 'bulk', `${put.length} zones added or changed and ${remove.length} deleted in view ${view}: waited ${s(asked, locked)} s for the new-zones database, rewrote it in ${s(locked, rewritten)} s, named read it in ${s(rewritten, Date.now())} s (reconfig)`);
        return { held };
      });
      const outcome = done?.value;
      if (outcome === undefined) return undefined;
      if ('refused' in outcome) return ops.map(() => ({ ok: false, error: outcome.refused }));
      return ops.map((op) => this.bulkResult(view, op, outcome.held));
    } catch (error) {
      return ops.map(() => (written ? { ok: false, error, unsettled: true } : { ok: false, error }));
    }
  }

  /** What one change made in bulk became, given the zones the view's database held before. */
  private bulkResult(view: string, op: ZoneOp, held: ReadonlySet<string>): ZoneOpResult {
    switch (op.action) {
      case 'add':
        return { ok: true, outcome: held.has(op.zone.name) ? 'exists' : 'added' };
      case 'modify':
        if (held.has(op.zone.name)) return { ok: true, outcome: 'modified' };
        return { ok: false, error: new ControlCommandError(commandLabel(['modzone', op.zone.name, 'IN', view]), RESULT_NOT_FOUND, 'not found', `no matching zone '${op.zone.name}' in view '${view}'`) };
      case 'move':
        return { ok: true, outcome: 'moved' };
      case 'delete':
        return { ok: true, outcome: held.has(op.name) ? 'deleted' : 'missing' };
    }
  }

  /**
   * The ops at `indexes`, a command per zone over up to BATCH_CONNECTIONS connections; the caller holds the lock. named
   * not answering fails them — unsettled for a view whose rewritten database named has not been seen to read (its
   * `.dnsmgr-old` is still there): named may come back with that one, and undoing a change it will hold would lose it.
   */
  private async sendEach(ops: readonly ZoneOp[], indexes: readonly number[], onResult: (i: number, result: ZoneOpResult) => void): Promise<void> {
    if (indexes.length === 0) return;
    const settle = (i: number, result: ZoneOpResult): void => {
      const op = ops[i] as ZoneOp;
      const unread = !result.ok && isUnreachable(result.error) && existsSync(`${this.nzdFile(op.action === 'delete' ? op.view : op.zone.view)}.dnsmgr-old`);
      onResult(i, unread ? { ...result, unsettled: true } : result);
    };
    let channel: CommandChannel;
    try {
      channel = await this.openChannel(Math.min(BATCH_CONNECTIONS, indexes.length));
    } catch (error) {
      // named is not answering: every change fails with that, and nothing was changed. Each error names its command.
      for (const i of indexes) settle(i, { ok: false, error: asCommandError(error, ops[i] as ZoneOp) });
      return;
    }
    let next = 0;
    // Once named does not answer at all, the rest fail with that without asking it again, one by one.
    let down: unknown;
    const worker = async (send: Send): Promise<void> => {
      while (next < indexes.length) {
        const i = indexes[next++] as number;
        const op = ops[i] as ZoneOp;
        const result: ZoneOpResult = down !== undefined
          ? { ok: false, error: down }
          : await this.applyWith(send, op).then((outcome) => ({ ok: true as const, outcome }), (error: unknown) => ({ ok: false as const, error }));
        if (!result.ok && isUnreachable(result.error)) down ??= result.error;
        settle(i, result);
      }
    };
    try {
      await Promise.all(channel.senders.map(worker));
    } finally {
      channel.close();
    }
  }

  /** The batch's control connections, opened together; none is left open if one cannot be. */
  private async openChannel(connections: number): Promise<CommandChannel> {
    const { keyFile, server, port } = this.target;
    const opened = await Promise.allSettled(Array.from({ length: connections }, () => openControl({ keyFile, server, port })));
    const sessions = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const refused = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (refused) {
      for (const s of sessions) s.close();
      throw refused.reason;
    }
    return { senders: sessions.map((s) => (args: readonly string[]) => s.command(args)), close: () => { for (const s of sessions) s.close(); } };
  }

  private async applyWith(send: Send, op: ZoneOp): Promise<ZoneOutcome> {
    if (op.action === 'delete') return this.deleteWith(send, op.view, op.name);
    if (op.action === 'move') {
      // Its zone file goes along (named's delzone without -clean leaves it): the zone answers again from it at once,
      // with no new transfer, even while its master is down.
      await this.forgetWith(send, op.from, op.zone.name);
      this.moveZoneFile(op.from, op.zone.view, op.zone.name);
      await this.addOrModify(send, op.zone);
      return 'moved';
    }
    if (op.action === 'modify') {
      await this.modifyWith(send, op.zone);
      return 'modified';
    }
    return this.addOrModify(send, op.zone);
  }

  /** Idempotent: a zone already there is given this clause. */
  private async addOrModify(send: Send, zone: ZoneSpec): Promise<'added' | 'exists'> {
    const added = await this.addWith(send, zone);
    if (added === 'exists') await this.modifyWith(send, zone);
    return added;
  }

  private async addWith(send: Send, zone: ZoneSpec): Promise<'added' | 'exists'> {
    const file = this.zoneFile(zone.view, zone.name);
    // A master zone starts from its file: written from the database unless named left one (with its journal) there.
    if (zone.primary !== undefined && !existsSync(file)) this.writeMasterFile(file, zone.primary.content());
    try {
      await send(['addzone', zone.name, 'IN', zone.view, renderZoneConfig(zone, file)]);
      return 'added';
    } catch (err) {
      if (isAlreadyExists(err)) return 'exists';
      throw err;
    }
  }

  /**
   * A zone named does not have is not added back here: a request deleting it meanwhile must not find it in named
   * again (zones named lost come back through their own move, health's addMissing).
   */
  private async modifyWith(send: Send, zone: ZoneSpec): Promise<void> {
    const file = this.zoneFile(zone.view, zone.name);
    await send(['modzone', zone.name, 'IN', zone.view, renderZoneConfig(zone, file)]);
  }

  private async deleteWith(send: Send, view: string, name: ZoneName): Promise<'deleted' | 'missing'> {
    try {
      await send(['delzone', '-clean', name, 'IN', view]);
      return 'deleted';
    } catch (err) {
      if (isZoneNotFound(err)) return 'missing';
      throw err;
    }
  }

  /** Takes the zone out of a view, keeping its file (delzone without -clean); a zone or view not there is gone already. */
  private async forgetWith(send: Send, view: string, name: ZoneName): Promise<void> {
    try {
      await send(['delzone', name, 'IN', view]);
    } catch (err) {
      if (!isZoneNotFound(err)) throw err;
    }
  }

  /** A master zone's file, for named to read and to rewrite (it dumps the zone there), owned as its directory is. */
  private writeMasterFile(file: string, text: string): void {
    safeUnlink(`${file}.jnl`);
    writeFileAtomic(file, text, 0o644);
    try {
      const dir = statSync(dirname(file));
      chownSync(file, dir.uid, dir.gid);
    } catch {
      // Not root: the file stays ours, which named (running as us) reads.
    }
  }

  /** The zone's file (and its journal) from one view's directory to another's, when there is one. */
  private moveZoneFile(from: string, to: string, name: ZoneName): void {
    const source = this.zoneFile(from, name);
    const target = this.zoneFile(to, name);
    if (source === target) return;
    mkdirLikeParent(dirname(target));
    for (const suffix of ['', '.jnl']) {
      try {
        renameSync(`${source}${suffix}`, `${target}${suffix}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }

  async listZones(view: string): Promise<HeldZone[]> {
    return this.nzdLock.shared(() => listNzdZones(this.nzdFile(view)));
  }

  forgetView(view: string): void {
    const nzd = this.nzdFile(view);
    for (const f of [nzd, `${nzd}-lock`, `${nzd}.dnsmgr-old`]) safeUnlink(f);
    rmSync(this.viewZoneDir(view), { recursive: true, force: true });
  }

  async readZoneStates(onZone: (state: ZoneState) => void): Promise<void> {
    const scanner = new ZoneStatsScanner(onZone);
    const url = `${this.statsUrl()}/json/v1/zones`;
    try {
      await httpGetStream(url, (chunk) => scanner.push(chunk), STATS_TIMEOUT_MS);
    } catch (err) {
      if (!(err instanceof ToolError)) throw err;
      // An installation whose named.conf predates the statistics channel: say what to do, not only what failed.
      const hint = msg`named must run with the statistics-channels and logging statements 'dnsmgr init' writes into ${this.settings.named.conf} (dnsmgr init --force rewrites it)`;
      throw new ToolError(`GET ${url}`, err.exitCode, err.stderr === '' ? hint : joinMsgs([err.detail, hint]), err.what);
    }
  }

  async readZoneEvents(cursor: string, onEvent: (event: ZoneEvent) => void): Promise<string> {
    return readZoneLog(this.settings.named.zoneLog, cursor, onEvent);
  }

  async retransfer(view: string, name: ZoneName): Promise<void> {
    await rndc(this.target, ['retransfer', name, 'IN', view]);
  }

  async refresh(view: string, name: ZoneName): Promise<void> {
    await rndc(this.target, ['refresh', name, 'IN', view]);
  }

  async rescanAddresses(): Promise<void> {
    // named notices new addresses on its own (interface-interval); the scan makes it immediate.
    await rndc(this.target, ['scan']).catch((err: unknown) => { if (!(err instanceof ToolError)) throw err; });
  }

  async ping(timeoutMs: number): Promise<boolean> {
    // The statistics channel's status page is answered from memory in well under a millisecond.
    return httpGetStream(`${this.statsUrl()}/json/v1/status`, () => undefined, timeoutMs).then(() => true, () => false);
  }

  private statsUrl(): string {
    const { rndcServer, statsPort } = this.settings.named;
    return `http://${rndcServer.includes(':') ? `[${rndcServer}]` : rndcServer}:${statsPort}`;
  }

  /**
   * The view's new-zones database as named names it: `<view>.nzd`, or, for a view whose name has a capital letter, a
   * slash or a backslash (isc_file_sanitize), the first 16 hex digits of the name's SHA-256. dnsmgr's own views are
   * lowercase; views of an older dnsmgr were named after logins, which may have capitals.
   */
  private nzdFile(view: string): string {
    const base = /[A-Z/\\]/.test(view) ? createHash('sha256').update(view).digest('hex').slice(0, 16) : view;
    return join(this.settings.named.nzdDir, `${base}.nzd`);
  }

  private viewZoneDir(view: string): string {
    return inside(this.settings.named.zoneDir, view);
  }

  /** The zone's file: under its view's directory, named after the validated zone name, and checked to stay inside. */
  zoneFile(view: string, name: ZoneName): string {
    return inside(this.viewZoneDir(view), `${name}.db`);
  }
}

function inside(dir: string, child: string): string {
  const base = resolve(dir);
  const path = resolve(base, child);
  if (!path.startsWith(base + sep)) throw new InternalError(msg`path for '${child}' escapes ${base}`);
  return path;
}

/** A failure to reach named, told as the failure of the op's (first) command: `rndc addzone example.com IN _dnsmgr failed: …`. */
function asCommandError(error: unknown, op: ZoneOp): unknown {
  if (!(error instanceof ToolError) || error.command !== 'rndc') return error;
  const args = op.action === 'delete' ? ['delzone', op.name, 'IN', op.view]
    : op.action === 'move' ? ['delzone', op.zone.name, 'IN', op.from]
      : [op.action === 'add' ? 'addzone' : 'modzone', op.zone.name, 'IN', op.zone.view];
  return new ToolError(commandLabel(args), error.exitCode, error.detail, error.what);
}

/** The connection failed, not the command (named answers those with a result code): the rest would fail the same way. */
function isUnreachable(err: unknown): boolean {
  return err instanceof ToolError && !(err instanceof ControlCommandError);
}

/** A reconfig took 2.8 s at 100,000 zones (bench-bulk); a failure here reverts every zone of the load. */
const BULK_RECONFIG_TIMEOUT_MS = 600_000;


function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

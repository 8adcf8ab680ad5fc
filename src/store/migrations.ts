// Versioned schema migrations, applied in order inside one transaction each; PRAGMA user_version is the version.
import { InternalError } from '../errors';
import { msg } from '../i18n/msg';
import type { Db } from './db';
import { reversedLabels } from '../model/ownership';
import { presentData } from '../model/record';
import type { RecordData } from '../model/record';

/** A migration: SQL, or a step SQL cannot say (run in the same kind of transaction). */
export type Migration = string | ((db: Db) => void);

/**
 * The domain list's sort keys a zone keeps from its health row (migration 10): the zone column, the health column it
 * follows, its value from the health row `h` — exactly what the list sorted by when it read the health row itself — and
 * its value for a zone without one. Serial sorts as the number it is, none first; updated as the whole seconds of the
 * time it shows, none (0) first, as '' sorts before any date.
 */
const LIST_KEYS: readonly ListKey[] = [
  { column: 'list_serial', from: 'serial', of: (h) => `CAST(nullif(coalesce(CAST(${h}.serial AS TEXT), ''), '') AS INTEGER)`, none: 'NULL' },
  { column: 'list_reason', from: 'reason', of: (h) => `coalesce(${h}.reason, '')`, none: "''" },
  { column: 'list_updated', from: 'last_ok_at', of: (h) => `CASE WHEN ${h}.last_ok_at > 0 THEN ${h}.last_ok_at ELSE 0 END`, none: '0' },
];

interface ListKey {
  column: string;
  from: string;
  of: (h: string) => string;
  none: string;
}

export const MIGRATIONS: readonly Migration[] = [
  // 1: accounts, namespaces (BIND views) with their addresses, zones with desired and applied state, sessions.
  `
  CREATE TABLE namespace (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    allow_transfer TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );
  CREATE TABLE namespace_ip (
    addr TEXT PRIMARY KEY,
    namespace_id INTEGER NOT NULL REFERENCES namespace(id) ON DELETE CASCADE
  );
  CREATE INDEX namespace_ip_ns ON namespace_ip(namespace_id);
  CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    level INTEGER NOT NULL,
    reseller_id INTEGER REFERENCES account(id),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    namespace_id INTEGER REFERENCES namespace(id),
    created_at INTEGER NOT NULL
  );
  CREATE TABLE zone (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    namespace_id INTEGER NOT NULL REFERENCES namespace(id),
    owner_id INTEGER NOT NULL REFERENCES account(id),
    dtype TEXT NOT NULL DEFAULT 'slave',
    masters TEXT NOT NULL,
    -- What named has now: NULL while the zone is not (known to be) in named.
    applied_masters TEXT,
    -- NULL when named matches; 'apply' or 'delete' while a change is on its way to named.
    pending TEXT CHECK (pending IN ('apply', 'delete')),
    -- Which process is carrying the pending change ("pid:token"), and since when.
    claim TEXT,
    claimed_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (namespace_id, name)
  );
  CREATE INDEX zone_name ON zone(name);
  CREATE INDEX zone_owner ON zone(owner_id);
  CREATE INDEX zone_pending ON zone(pending) WHERE pending IS NOT NULL;
  CREATE TABLE session (
    key TEXT PRIMARY KEY,
    account_name TEXT NOT NULL,
    level INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT INTO meta (key, value) VALUES ('views_generation', '1');
  `,
  // 2: the IP address pool with statuses (replaces namespace_ip), limits, namespace owners, restricted names.
  `
  ALTER TABLE account ADD COLUMN domain_limit INTEGER;
  ALTER TABLE account ADD COLUMN user_limit INTEGER;
  ALTER TABLE account ADD COLUMN ip_limit INTEGER;
  -- The level number an imported passwd file carried, written back as it was.
  ALTER TABLE account ADD COLUMN passwd_level INTEGER;
  ALTER TABLE namespace ADD COLUMN owner_id INTEGER REFERENCES account(id);
  CREATE TABLE ipaddr (
    addr TEXT PRIMARY KEY,
    family INTEGER NOT NULL CHECK (family IN (4, 6)),
    -- The status as the holder sees it; the admin sees a reseller's address as assigned to that reseller.
    status TEXT NOT NULL CHECK (status IN ('hidden', 'free', 'shared', 'assigned', 'mutual')),
    -- NULL: the admin's pool; otherwise the reseller whose pool holds it.
    holder_id INTEGER REFERENCES account(id),
    -- status 'assigned': the one account it belongs to.
    assignee_id INTEGER REFERENCES account(id),
    -- The namespace (view) answering on it, if any.
    namespace_id INTEGER REFERENCES namespace(id),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX ipaddr_namespace ON ipaddr(namespace_id);
  CREATE INDEX ipaddr_holder ON ipaddr(holder_id);
  INSERT INTO ipaddr (addr, family, status, holder_id, assignee_id, namespace_id, created_at)
    SELECT ni.addr, CASE WHEN instr(ni.addr, ':') > 0 THEN 6 ELSE 4 END, 'assigned', NULL,
      (SELECT a.id FROM account a WHERE a.namespace_id = ni.namespace_id ORDER BY a.id LIMIT 1), ni.namespace_id, strftime('%s', 'now')
    FROM namespace_ip ni;
  UPDATE namespace SET owner_id = (SELECT a.id FROM account a WHERE a.namespace_id = namespace.id ORDER BY a.id LIMIT 1);
  DROP TABLE namespace_ip;
  CREATE TABLE restricted (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
  `,
  // 3: the panel's administrators seen at the handler door: they have no account here, and nobody may take their login.
  `
  CREATE TABLE panel_admin (name TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
  `,
  // 4: what the name server really serves, per zone (health), and zones suspended by the dead-zone policy.
  `
  -- Set while the zone is kept out of named; applied_masters then says what named had when it was taken out.
  ALTER TABLE zone ADD COLUMN suspended_at INTEGER;
  CREATE TABLE zone_health (
    zone_id INTEGER PRIMARY KEY REFERENCES zone(id) ON DELETE CASCADE,
    -- As the name server last reported it: serial loaded (NULL: never loaded), when it loaded, expires, refreshes next.
    serial INTEGER,
    loaded_at INTEGER,
    expires_at INTEGER,
    refresh_at INTEGER,
    -- How far a successful refresh pushes the expiry (expires - loaded at the last transfer): turns expiry into "last ok".
    expire_span INTEGER,
    -- The last successful transfer or refresh.
    last_ok_at INTEGER,
    -- The last failure not followed by a success: refused, notauth, timeout, unreachable, error.
    failure TEXT,
    failure_detail TEXT,
    failed_at INTEGER,
    -- ok, waiting, problem, expired, missing (the name server lacks it); reason says why for problem.
    status TEXT NOT NULL DEFAULT 'waiting',
    reason TEXT,
    -- Since when the zone has been a problem (NULL while it is fine).
    failing_since INTEGER,
    -- Automatic retransfer of zones that never loaded: when the next one is due, and how many were sent.
    retransfer_due INTEGER,
    retransfers INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX zone_health_failing ON zone_health(failing_since) WHERE failing_since IS NOT NULL;
  CREATE INDEX zone_health_retransfer ON zone_health(retransfer_due) WHERE retransfer_due IS NOT NULL;
  CREATE INDEX zone_suspended ON zone(suspended_at) WHERE suspended_at IS NOT NULL;
  INSERT INTO meta (key, value) VALUES ('health_refreshed_at', '0'), ('health_cursor', '');
  `,
  // 5: per-request work that does not grow with the zones: each account's zone counts kept by triggers (the passwd
  // file and the domain limits read them instead of counting), and each zone's name with its labels reversed
  // (example.com → com.example.), indexed, so "is there a zone below X" is a range of that index.
  (db) => {
    db.exec(`
  ALTER TABLE account ADD COLUMN zones_used INTEGER NOT NULL DEFAULT 0;
  -- Zones it owns in a namespace it does not own.
  ALTER TABLE account ADD COLUMN zones_shared INTEGER NOT NULL DEFAULT 0;
  UPDATE account SET zones_used = (SELECT count(*) FROM zone WHERE owner_id = account.id),
    zones_shared = (SELECT count(*) FROM zone z JOIN namespace n ON n.id = z.namespace_id WHERE z.owner_id = account.id AND n.owner_id IS NOT z.owner_id);
  CREATE TRIGGER zone_counted AFTER INSERT ON zone BEGIN
    UPDATE account SET zones_used = zones_used + 1,
      zones_shared = zones_shared + ((SELECT owner_id FROM namespace WHERE id = NEW.namespace_id) IS NOT NEW.owner_id)
    WHERE id = NEW.owner_id;
  END;
  CREATE TRIGGER zone_uncounted AFTER DELETE ON zone BEGIN
    UPDATE account SET zones_used = zones_used - 1,
      zones_shared = zones_shared - ((SELECT owner_id FROM namespace WHERE id = OLD.namespace_id) IS NOT OLD.owner_id)
    WHERE id = OLD.owner_id;
  END;
  CREATE TRIGGER zone_recounted AFTER UPDATE OF owner_id, namespace_id ON zone BEGIN
    UPDATE account SET zones_used = zones_used - 1,
      zones_shared = zones_shared - ((SELECT owner_id FROM namespace WHERE id = OLD.namespace_id) IS NOT OLD.owner_id)
    WHERE id = OLD.owner_id;
    UPDATE account SET zones_used = zones_used + 1,
      zones_shared = zones_shared + ((SELECT owner_id FROM namespace WHERE id = NEW.namespace_id) IS NOT NEW.owner_id)
    WHERE id = NEW.owner_id;
  END;
  -- A namespace changing hands changes which of its zones are shared: its zones' owners are counted again (rare).
  CREATE TRIGGER namespace_owner_recounted AFTER UPDATE OF owner_id ON namespace BEGIN
    UPDATE account SET zones_shared = (SELECT count(*) FROM zone z JOIN namespace n ON n.id = z.namespace_id
      WHERE z.owner_id = account.id AND n.owner_id IS NOT z.owner_id)
    WHERE id IN (SELECT owner_id FROM zone WHERE namespace_id = NEW.id);
  END;
  -- Set by insertZone; a row written by other means (NULL) is still found, through the same index (rname IS NULL).
  ALTER TABLE zone ADD COLUMN rname TEXT;
  CREATE INDEX zone_rname ON zone(rname);
    `);
    const set = db.prepare('UPDATE zone SET rname = ? WHERE id = ?');
    for (const z of db.prepare('SELECT id, name FROM zone WHERE rname IS NULL').all() as { id: number; name: string }[]) set.run(reversedLabels(z.name), z.id);
  },
  // 6: one shared view for every namespace (bench/research-views.md): each zone carries its namespace's addresses
  // (allow-query-on) and transfer list (allow-transfer) in its own clause, so a namespace costs no view and no reconfig.
  // A namespace holding a name another namespace holds too gets a view of its own (own_view). Each zone records where
  // named has it: the view and the ACL text; zones of the views made before this are moved by the next syncViews.
  `
  ALTER TABLE namespace ADD COLUMN own_view INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE zone ADD COLUMN applied_view TEXT;
  ALTER TABLE zone ADD COLUMN applied_acl TEXT;
  UPDATE zone SET applied_view = (SELECT name FROM namespace WHERE id = zone.namespace_id) WHERE applied_masters IS NOT NULL;
  UPDATE namespace SET own_view = 1
    WHERE id IN (SELECT z.namespace_id FROM zone z JOIN zone o ON o.name = z.name AND o.namespace_id < z.namespace_id);
  `,
  // 7: lists that stay fast. A namespace's members found through an index, not a scan of the accounts per namespace;
  // each zone's status as the domain list shows it, kept by triggers and indexed with the name, so a page sorted by
  // status is a walk along an index instead of a sort of every zone by a CASE over zone and zone_health.
  `
  CREATE INDEX account_namespace ON account(namespace_id);
  ALTER TABLE zone ADD COLUMN list_status TEXT NOT NULL DEFAULT 'waiting';
  ${relistZone('zone.id')};
  CREATE INDEX zone_list_status ON zone(list_status, name);
  CREATE TRIGGER zone_listed AFTER INSERT ON zone BEGIN ${relistZone('NEW.id')}; END;
  CREATE TRIGGER zone_relisted AFTER UPDATE OF pending, suspended_at, applied_masters ON zone BEGIN ${relistZone('NEW.id')}; END;
  CREATE TRIGGER zone_health_listed AFTER INSERT ON zone_health BEGIN ${relistZone('NEW.zone_id')}; END;
  CREATE TRIGGER zone_health_relisted AFTER UPDATE OF status ON zone_health WHEN NEW.status IS NOT OLD.status
    BEGIN ${relistZone('NEW.zone_id')}; END;
  CREATE TRIGGER zone_health_unlisted AFTER DELETE ON zone_health BEGIN ${relistZone('OLD.zone_id')}; END;
  `,
  // 8: the domain list sorted by owner read along indexes (the accounts by name, each one's zones by name) instead of
  // sorting every zone; the owner index gains the name and serves every lookup by owner as before.
  `
  CREATE INDEX zone_owner_name ON zone(owner_id, name);
  DROP INDEX zone_owner;
  `,
  // 9: moving zones to where their namespace says survives a kill or a failure half-way. Each namespace counts the
  // changes of its place (place_version: addresses, allow-transfer, own view) and which one its zones were last moved
  // for (placed_version); the next request moves the zones of any namespace behind. A reconfig named may not have
  // done (reconfig_due) is done again. named_views: the views dnsmgr last gave named, the ones to forget once gone —
  // after an update from a view per namespace, every namespace's, and all of them behind.
  `
  ALTER TABLE namespace ADD COLUMN place_version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE namespace ADD COLUMN placed_version INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX namespace_place_due ON namespace(id) WHERE placed_version < place_version;
  INSERT INTO meta (key, value) VALUES ('reconfig_due', '0'),
    ('named_views', (SELECT json_group_array(name) FROM (SELECT name FROM namespace ORDER BY name)));
  `,
  // 10: the domain list sorted by any column is a walk along an index, as by status (7) and by owner (8), not a sort of
  // every zone. Each zone keeps the sort keys of the columns its health row gives (serial, reason, updated), as the list
  // sorts them, kept by triggers; type and masters are indexed as they are. Every index holds the name after the key,
  // and the zid after both (the rowid ends every index): the list's order, key, name, zid, with nothing to sort.
  `
  ALTER TABLE zone ADD COLUMN list_serial INTEGER;
  ALTER TABLE zone ADD COLUMN list_reason TEXT NOT NULL DEFAULT '';
  ALTER TABLE zone ADD COLUMN list_updated INTEGER NOT NULL DEFAULT 0;
  UPDATE zone SET ${LIST_KEYS.map((k) => `${k.column} = ${k.of('h')}`).join(', ')}
    FROM zone_health h WHERE h.zone_id = zone.id;
  CREATE INDEX zone_list_serial ON zone(list_serial, name);
  CREATE INDEX zone_list_reason ON zone(list_reason, name);
  CREATE INDEX zone_list_updated ON zone(list_updated, name);
  CREATE INDEX zone_dtype ON zone(dtype, name);
  CREATE INDEX zone_masters ON zone(masters, name);
  CREATE TRIGGER zone_health_keyed AFTER INSERT ON zone_health BEGIN ${rekeyZone(LIST_KEYS, 'NEW')}; END;
  ${LIST_KEYS.map((k) => `CREATE TRIGGER zone_health_${k.from}_rekeyed AFTER UPDATE OF ${k.from} ON zone_health
    WHEN NEW.${k.from} IS NOT OLD.${k.from} BEGIN ${rekeyZone([k], 'NEW')}; END;`).join('\n  ')}
  CREATE TRIGGER zone_health_unkeyed AFTER DELETE ON zone_health BEGIN ${rekeyZone(LIST_KEYS, 'OLD', true)}; END;
  `,
  // An address allocated in IPmanager (dnsmgr.conf's IPmanager) is given back there when it leaves the pool; one added
  // before, or by hand, is not.
  `
  ALTER TABLE ipaddr ADD COLUMN from_ipmanager INTEGER NOT NULL DEFAULT 0;
  `,
  // Master zones (issue 12): their records, the source of truth the name server is brought in line with, each under
  // DNSmanager's record key; and what their SOA says beside the records (contact, primary, serial).
  `
  CREATE TABLE zone_record (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone_id INTEGER NOT NULL REFERENCES zone(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    ttl INTEGER NOT NULL,
    data TEXT NOT NULL,
    rkey TEXT NOT NULL,
    UNIQUE (zone_id, rkey)
  );
  CREATE INDEX zone_record_name ON zone_record(zone_id, name);
  CREATE TABLE zone_soa (
    zone_id INTEGER PRIMARY KEY REFERENCES zone(id) ON DELETE CASCADE,
    mname TEXT NOT NULL,
    email TEXT NOT NULL,
    serial INTEGER NOT NULL
  );
  `,
  // A master zone signed with the name server's automatic DNSSEC policy.
  `
  ALTER TABLE zone_soa ADD COLUMN dnssec INTEGER NOT NULL DEFAULT 0;
  `,
  // A namespace's DNS settings (dnsparam): what its new master zones are made with. No row, or NULL in a column: the
  // built-in default; name and mail servers are host names joined by spaces, subdomains too ('' for none).
  `
  CREATE TABLE namespace_dns (
    namespace_id INTEGER PRIMARY KEY REFERENCES namespace(id) ON DELETE CASCADE,
    email TEXT,
    ns TEXT,
    mx TEXT,
    subdomains TEXT,
    ttl INTEGER
  );
  `,
  // A master zone's record change committed here whose UPDATE the name server has not been seen to apply, one row per
  // request (its claim), written in the change's own transaction: a request killed in between leaves its row behind.
  `
  CREATE TABLE zone_record_unsent (
    zone_id INTEGER NOT NULL REFERENCES zone(id) ON DELETE CASCADE,
    claim TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (zone_id, claim)
  ) WITHOUT ROWID;
  `,
  // The passwd file written line by line (src/sync/passwd.ts): the accounts whose line changed since it was last written
  // (0: the whole file, for an account added, removed or renamed), marked in the change's own transaction, and the file
  // as it was left then, by path, inode, size and change time. Every installation's file is rendered whole once.
  `
  CREATE TABLE passwd_dirty (account_id INTEGER PRIMARY KEY);
  CREATE TABLE passwd_written (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    file TEXT NOT NULL,
    ino TEXT NOT NULL,
    size INTEGER NOT NULL,
    ctime_ns TEXT NOT NULL
  );
  CREATE TRIGGER account_passwd_added AFTER INSERT ON account BEGIN
    INSERT INTO passwd_dirty VALUES (0) ON CONFLICT DO NOTHING;
  END;
  CREATE TRIGGER account_passwd_removed AFTER DELETE ON account BEGIN
    INSERT INTO passwd_dirty VALUES (0) ON CONFLICT DO NOTHING;
  END;
  -- A reseller's login is on each of its users' lines.
  CREATE TRIGGER account_passwd_renamed AFTER UPDATE OF name ON account BEGIN
    INSERT INTO passwd_dirty VALUES (0) ON CONFLICT DO NOTHING;
  END;
  CREATE TRIGGER account_passwd_changed AFTER UPDATE OF reseller_id, password_hash, level, passwd_level, zones_used, domain_limit,
    zones_shared ON account BEGIN
    INSERT INTO passwd_dirty VALUES (NEW.id) ON CONFLICT DO NOTHING;
  END;
  INSERT INTO passwd_dirty VALUES (0);
  `,
  // The record list sorted by any column in SQL: a TXT record's data (info) as the list shows it, quoted strings of at
  // most 255 bytes, kept beside it; every other record's data is its value, which its key ends with (store/records).
  (db) => {
    db.exec('ALTER TABLE zone_record ADD COLUMN info TEXT');
    const set = db.prepare('UPDATE zone_record SET info = ? WHERE id = ?');
    const txt = db.prepare("SELECT id, data FROM zone_record WHERE type = 'TXT'").all() as { id: number; data: string }[];
    for (const r of txt) set.run(presentData(JSON.parse(r.data) as RecordData), r.id);
  },
];

/**
 * Sets zone.list_status of the zone `id` (an SQL expression) to what the domain list shows: a change on its way to
 * named first (deleting, resuming, adding, updating), then suspended, then the health status ('waiting' before any).
 * Written only when it differs, so an unchanged status rewrites no index entry.
 */
function relistZone(id: string): string {
  const status = `CASE
      WHEN pending = 'delete' THEN 'deleting'
      WHEN pending = 'apply' THEN CASE WHEN suspended_at IS NOT NULL THEN 'resuming' WHEN applied_masters IS NULL THEN 'adding' ELSE 'updating' END
      WHEN suspended_at IS NOT NULL THEN 'suspended'
      ELSE coalesce((SELECT h.status FROM zone_health h WHERE h.zone_id = zone.id), 'waiting')
    END`;
  return `UPDATE zone SET list_status = ${status} WHERE id = ${id} AND list_status IS NOT ${status}`;
}

/**
 * Sets these keys of the zone of health row `h` (NEW or OLD) from it, or to those of a zone without one (`gone`).
 * Written only when one differs, so a health row written with the same values rewrites no zone and no index entry.
 */
function rekeyZone(keys: readonly ListKey[], h: 'NEW' | 'OLD', gone = false): string {
  const value = (k: ListKey): string => (gone ? k.none : k.of(h));
  return `UPDATE zone SET ${keys.map((k) => `${k.column} = ${value(k)}`).join(', ')}
    WHERE id = ${h}.zone_id AND (${keys.map((k) => `${k.column} IS NOT ${value(k)}`).join(' OR ')})`;
}

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Db): void {
  runMigrations(db, MIGRATIONS);
}

/** Applies the migrations a database lacks, each in its own write transaction; PRAGMA user_version counts them. */
export function runMigrations(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === migrations.length) return;
  if (current > migrations.length) {
    throw new InternalError(msg`database schema version ${current} is newer than this dnsmgr knows (${migrations.length}): upgrade dnsmgr`);
  }
  const step = db.transaction((version: number) => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    if ((db.pragma('user_version', { simple: true }) as number) >= version) return;
    const migration = migrations[version - 1]!;
    if (typeof migration === 'string') db.exec(migration);
    else migration(db);
    db.pragma(`user_version = ${version}`);
  });
  for (let version = current + 1; version <= migrations.length; version++) step.immediate(version);
}

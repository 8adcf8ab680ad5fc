// The dnsmgr.conf a new installation starts with. `dnsmgr init` writes it once and never overwrites it.
// Every key dnsmgr reads is documented here, commented out, with its default.
export const DEFAULT_DNSMGR_CONF = `// dnsmgr configuration (COREmanager syntax: "Key value", "Option Name", "path name value").
// dnsmgr keeps your comments, order and unknown keys when it changes a setting.
// Lists (SharedDomains, LimitedResellers, RestrictedDomains) are separated by spaces and/or commas.

// Language of the panel's messages: en or ru.
// DefaultLang en

// How much dnsmgr logs, 0 (nothing) to 9 (everything).
// LogLevel 2

// IPmanager, the pool's source of addresses: its URL and account (user:password). An address added here is allocated
// there first, one deleted here is marked free there; unset = addresses are managed in dnsmgr alone.
// IPmanager https://ipmgr.example.net:1500/ipmgr dnsmgr:secret

// User and group named runs as (a name or a numeric id), for the files dnsmgr creates for it.
// NamedUID bind
// NamedGID bind

// Interface the namespace addresses are bound to (bindip, ipaddr.edit); never guessed: 'dnsmgr init' writes the one
// it chose under this comment, the settings function changes it and moves the bound addresses; unset = binding refused.
// NetworkInterface eth0

// Zones whose owners are not checked: any account may add them, though another already has them.
// SharedDomains example.com example.net

// Resellers that may create users only inside their own namespace.
// LimitedResellers reseller1 reseller2

// Zones no account may add, nor any name below them (a dnsmgr addition, not in the legacy panel).
// RestrictedDomains example.org

// Do not update dnsmgr automatically.
// Option DisableAutoUpdate
// Skip the check that a new zone does not belong to another owner.
// Option InsecureDomain
// Let namespaces use IPv6 addresses.
// Option AllowIpV6
// Let accounts with addresses of their own also join shared namespaces.
// Option AlwaysAllowSharedIp

// The name server dnsmgr drives: bind (BIND 9: one named, every namespace's zones in it) or powerdns (PowerDNS
// Authoritative: one pdns_server per namespace, listening on the namespace's addresses, with its own SQLite database).
// NameServer bind

// PowerDNS: where the instances' configuration files, databases and sockets live (defaults under this installation's
// root: etc/powerdns, var/lib/powerdns, var/run/powerdns), the gsqlite3 schema new databases are made from, and the
// first of the loopback ports of their HTTP APIs (two per instance).
// path PdnsConfDir /etc/powerdns/dnsmgr
// path PdnsDataDir /var/lib/powerdns/dnsmgr
// path PdnsRunDir /run/pdns-dnsmgr
// path PdnsSchema /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
// PdnsPortBase 18300
// Who runs the instances: dnsmgr itself (started detached; dnsmgr run restarts one that dies), or systemd through
// the template unit dnsmgr-pdns@.service that install writes (set by install where it writes the panel's units).
// PdnsService dnsmgr

// rndc control channel of the named dnsmgr manages, and its statistics channel (on the same address), which the
// zone health refresh reads; and the port on that address where named takes dnsmgr's own DNS requests (a master
// zone's signed updates and transfers).
// RndcServer 127.0.0.1
// RndcPort 953
// StatisticsPort 8053
// NamedUpdatePort 8054

// From how many zones to add, change or delete in one view a request makes the change in named's new-zones
// database at once (mdb_dump and mdb_load, from Debian's lmdb-utils) and has named read it with one reconfig, instead
// of a command per zone. 0 = always a command per zone.
// NamedBulkLoad 500

// Zone health: how often it is read from named (seconds), after how many hours a problem domain is long-failing,
// how many zones that never loaded dnsmgr retransfers per refresh (0 = none), and the dead-zone policy: days of
// failing after which a zone is suspended (removed from named, kept, back when its master serves it) or deleted
// (0 = never, the default for both).
// HealthInterval 30
// ProblemThreshold 24
// RetransferLimit 100
// SuspendDeadZones 0
// DeleteDeadZones 0

// Where dnsmgr's own files live. The defaults are under this installation's root (var/dnsmgr.db, etc/dnsmgr.passwd,
// var/log/dnsmgr.log: what dnsmgr did by itself, such as retransfers and suspensions).
// path Database /var/lib/dnsmgr/dnsmgr.db
// path Passwd /etc/dnsmgr/dnsmgr.passwd
// path Log /var/log/dnsmgr.log

// Where named's files live. The defaults are under this installation's root (etc/named, var/named).
// path NamedConf /etc/bind/named.conf
// path NamedViews /etc/bind/dnsmgr-views.conf
// path NamedZoneDir /var/cache/bind/dnsmgr
// path NamedNewZonesDir /var/cache/bind
// path RndcKey /etc/bind/rndc.key
// path NamedZoneLog /var/log/named/dnsmgr-zones.log

// Tools, by absolute path or a name looked up on PATH.
// path rndc /usr/sbin/rndc
// path named-checkconf /usr/bin/named-checkconf
// path ip /usr/sbin/ip
// path named /usr/sbin/named
// path mdb_load /usr/bin/mdb_load
// path mdb_dump /usr/bin/mdb_dump
// path pdns_server /usr/sbin/pdns_server
// path systemctl /usr/bin/systemctl
`;

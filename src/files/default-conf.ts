// The dnsmgr.conf a new installation starts with. `dnsmgr init` writes it once and never overwrites it.
export const DEFAULT_DNSMGR_CONF = `// dnsmgr configuration (COREmanager syntax: "Key value", "Option Name", "path name value").
// dnsmgr keeps your comments, order and unknown keys when it changes a setting.

// Interface the namespace addresses are bound to by 'dnsmgr bindip'; empty = the first non-loopback interface.
// NetworkInterface eth0

// rndc control channel of the named dnsmgr manages.
// RndcServer 127.0.0.1
// RndcPort 953

// Where named's files live. The defaults are under this installation's root (etc/named, var/named).
// path NamedConf /etc/bind/named.conf
// path NamedViews /etc/bind/dnsmgr-views.conf
// path NamedZoneDir /var/cache/bind/dnsmgr
// path NamedNewZonesDir /var/cache/bind
// path RndcKey /etc/bind/rndc.key

// Tools, by absolute path or a name looked up on PATH.
// path rndc /usr/sbin/rndc
// path named-checkconf /usr/bin/named-checkconf
// path ip /usr/sbin/ip
// path named /usr/sbin/named
`;

// Who may add a zone: nobody takes over a zone, or a subdomain of a zone, another account owns; restricted names are
// nobody's. Pure; no I/O.

export interface ZoneClaim {
  name: string;
  ownerId: number;
}

export interface OwnershipRules {
  /** Zones whose owners need not be checked (dnsmgr.conf SharedDomains). */
  sharedDomains: readonly string[];
  /** Option InsecureDomain: skip the owner check altogether. */
  insecure: boolean;
  /** Names nobody may add, with everything below them. */
  restricted: readonly string[];
}

/** The name itself and every parent: a.b.example.com → [a.b.example.com, b.example.com, example.com, com]. */
export function selfAndParents(name: string): string[] {
  const labels = name.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/**
 * The name with its labels in reverse order and a final dot (example.com → com.example.): the zones below a name are
 * then the ones whose reversed form starts with its own, a range of an index.
 */
export function reversedLabels(name: string): string {
  return `${name.split('.').reverse().join('.')}.`;
}

/** `name` is `other` or lies below it. */
export function isAtOrBelow(name: string, other: string): boolean {
  return name === other || name.endsWith(`.${other}`);
}

export function restrictedBy(name: string, restricted: readonly string[]): string | undefined {
  return restricted.find((r) => isAtOrBelow(name, r));
}

/**
 * The zone of another account that `name` would collide with: the same name, a parent (taking over part of its
 * tree) or a child (taking over the parent of someone's zone). Shared domains and InsecureDomain lift the check.
 */
export function conflictingZone(name: string, ownerId: number, related: readonly ZoneClaim[], rules: OwnershipRules): ZoneClaim | undefined {
  if (rules.insecure) return undefined;
  if (rules.sharedDomains.some((s) => isAtOrBelow(name, s))) return undefined;
  return related.find((z) => z.ownerId !== ownerId && (isAtOrBelow(name, z.name) || isAtOrBelow(z.name, name)));
}

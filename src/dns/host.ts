// What dnsmgr does around a name server rather than through it: the files it needs under the root (`init`), its
// processes under `dnsmgr run`, its service units and the administrator's snippets (`install`). Kept apart from the
// backend (dns/backend), which every request loads: only the few commands that set up and run a server load this.
import type { NameServerBackend } from './backend';

export interface SupervisionHooks {
  /** To run's own output. */
  say(message: string): void;
  /** To run's output and dnsmgr's event log: what happened to the name server by itself (died, restarted). */
  report(message: string): void;
  /** The name server came back after it died: what was asked of it meanwhile is carried to it. */
  onRestart(): Promise<void>;
}

/** The name server's processes as `dnsmgr run`'s children (or detached ones it watches): started, kept, stopped. */
export interface Supervision {
  /** Starts the name server and waits until it answers; `running` says what runs, for run's output. */
  start(): Promise<{ ok: true; running: string } | { ok: false; why: string }>;
  /**
   * From now on a name server process that dies is started again (`onRestart` after it answers). run calls it once its
   * start-up recovery is done; a name server watched from its start (named, run's own child) needs nothing here.
   */
  watch(): void;
  /** Stops what start started (and the watch, waiting for a check under way); safe to call twice, and before start. */
  stop(): Promise<void>;
}

export interface PanelSetup {
  /** What was written or changed, one line each. */
  done: string[];
  /** What was left for the administrator to do, one line each. */
  skipped: string[];
}

export interface NameServerHost {
  /** Its category in dnsmgr's event log. */
  readonly eventCategory: string;
  /**
   * Throws a ToolError when the name server cannot run on this machine (not installed): `backend.migrate` asks before
   * it changes anything.
   */
  preflight(): void;
  /**
   * `init`: the name server's files under the root, made where missing; `force` writes its main configuration again.
   * Says what it made, one line each.
   */
  prepareFiles(force: boolean): string[];
  /**
   * `dnsmgr run`: refuses (throws) what would make a second name server on the same files, puts back what an earlier
   * run killed outright left behind, and returns the supervision, not yet started: the addresses are bound before it
   * starts, so the name server listens on them from its first moment.
   */
  supervise(backend: NameServerBackend, hooks: SupervisionHooks): Promise<Supervision>;
  /**
   * `install` for the panel: its systemd units ([file name, text], named as the class's UNIT_NAMES says); `enabled`: the
   * ones enabled while it is the one in use.
   */
  units(exe: string): { files: [string, string][]; enabled: string[] };
  /**
   * `install` for the panel: what the administrator's own system needs beside the units (a snippet for their named.conf,
   * a key in the dnsmgr.conf `install` just made — `confMade` — but never in one the administrator keeps).
   * `unitsWritten`: the units went where systemd reads them (install was given a systemd directory).
   */
  setUpForPanel(confMade: boolean, unitsWritten: boolean): PanelSetup;
}

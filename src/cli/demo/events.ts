/**
 * The demo's events: what `--json` prints one per line, and what the human timeline renders.
 * Field names are stable.
 */

/** The parts of the seeds' sequence diagrams. */
export type DemoActor = 'Conductor' | 'iLO' | 'ImageStore' | 'WebServer' | 'Ramdisk' | 'Server';

/** The demo's phases, in the order they run. */
export type DemoPhase =
  | 'setup'
  | 'inspection'
  | 'cleaning'
  | 'agent_ilo deploy'
  | 'agent_ilo tear-down'
  | 'iscsi_ilo deploy'
  | 'iscsi_ilo tear-down';

/** A phase starts. */
export interface DemoPhaseEvent {
  type: 'phase';
  /** Milliseconds since the demo started. */
  atMs: number;
  phase: DemoPhase;
  /** One line saying what the phase shows. */
  title: string;
}

/** Something one part did to another (`from` → `to`), or to itself. */
export interface DemoStepEvent {
  type: 'step';
  atMs: number;
  phase: DemoPhase;
  from: DemoActor;
  to: DemoActor;
  text: string;
}

/** A provision-state transition the demo's conductor applied. */
export interface DemoStateEvent {
  type: 'state';
  atMs: number;
  phase: DemoPhase;
  node: string;
  event: string;
  from: string;
  to: string;
}

/** What a finished phase found or left behind (properties, clean steps, the deployment). */
export interface DemoResultEvent {
  type: 'result';
  atMs: number;
  phase: DemoPhase;
  /** Flat key → value pairs, printed as rows. */
  values: Record<string, string>;
}

/** One deployment, in the summary. */
export interface DemoDeployment {
  driver: 'agent_ilo' | 'iscsi_ilo';
  node: string;
  image: string;
  bootOption: 'local' | 'netboot';
  bootMode: string;
  /** The root file system's UUID the deploy read back from the disk. */
  rootUuid: string;
  /** Where the disk was written: by the agent on its disk, or by the conductor over iSCSI. */
  writtenBy: string;
  /** The boot ISO attached for netboot, when one was. */
  bootIso?: string;
}

/** The last event: what the demo did, in one object. */
export interface DemoSummaryEvent {
  type: 'summary';
  atMs: number;
  ok: true;
  model: string;
  /** Properties found by inspection. */
  properties: Record<string, string>;
  /** Clean steps run, in order. */
  cleanSteps: string[];
  deployments: DemoDeployment[];
  /** Images the drivers published in the store, by name (secret suffixes masked), in order. */
  published: string[];
  /** Images the drivers removed from the store, in order. */
  removed: string[];
  /** What the store held at the end (always empty: the demo checks it). */
  leftInStore: string[];
  /** Whether the temporary directory (images, http_root, disks) was removed once everything stopped. */
  temporaryDirectoryRemoved: boolean;
  /** iLO commands that changed something, and the ones only read. */
  iloCommands: { writes: number; reads: number };
  durationMs: number;
}

/** Every event of the demo. */
export type DemoEvent = DemoPhaseEvent | DemoStepEvent | DemoStateEvent | DemoResultEvent | DemoSummaryEvent;

/** A transfer in progress: shown on a TTY only, never in `--json`. */
export interface DemoProgress {
  label: string;
  doneBytes: number;
  totalBytes?: number | undefined;
}

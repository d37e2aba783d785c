import type { Command } from 'commander';
import type { CliNode } from '../node-task.js';

/** One column of the fleet table: its header and the cell a result gives. */
export interface FleetColumn<T> {
  /** Header, upper case. */
  readonly header: string;
  /** The cell for one iLO's result (a method, so that reads of any result fit one list). */
  cell(result: T): string;
}

/**
 * A read-only command: runs against one iLO (`ironic-ilo power status …`) or, unchanged, against
 * every iLO of an inventory (`ironic-ilo fleet --file ilos.csv power status`).
 */
export interface ReadCommand<T> {
  /** The words after `ironic-ilo` (and after `ironic-ilo fleet`), for example `['power', 'status']`. */
  readonly words: readonly string[];
  /** One line for `--help`. */
  readonly description: string;
  /** An example of the single-iLO command, without the connection flags. */
  readonly example?: string;
  /** Adds the read's own flags (the same with or without `fleet`). */
  configure?(cmd: Command): Command;
  /** Reads the iLO with the command's parsed flags; only reads, never changes anything. */
  read(node: CliNode, flags: Record<string, unknown>): Promise<T>;
  /** What `--json` prints (default: the result itself). */
  json?(result: T): unknown;
  /** Rows `label  value` for one iLO, or lines when the result is a list (default: the JSON form). */
  text?(result: T): ReadonlyArray<readonly [string, string]> | readonly string[];
  /** The fleet table's columns after ADDRESS and STATUS. */
  readonly columns: ReadonlyArray<FleetColumn<T>>;
}

/** Declares a read with its result type inferred from `read`. */
export function defineRead<T>(read: ReadCommand<T>): ReadCommand<T> {
  return read;
}

/** `on` / `off` / `not supported` for a flag an iLO may lack. */
export function onOff(value: boolean | null): string {
  return value === null ? 'not supported' : value ? 'on' : 'off';
}

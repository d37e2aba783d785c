import type { JsonValue } from './node.js';

/** Interfaces that can carry clean steps. */
export type CleaningInterface = 'power' | 'management' | 'deploy' | 'raid';

/** Description of one argument a clean step accepts. */
export interface CleanStepArgInfo {
  /** What the argument means. */
  description: string;
  /** Whether a manual cleaning request must give it (default `false`). */
  required?: boolean;
}

/**
 * A clean step as Ironic reports it: `{step, priority, abortable, argsinfo, interface}`.
 * Priority 0 disables a step for automated cleaning; it may still be run manually.
 *
 * @example
 * ```ts
 * const step: CleanStep = {
 *   step: 'reset_bios_to_default',
 *   priority: 10,
 *   abortable: false,
 *   argsinfo: null,
 *   interface: 'management',
 * };
 * ```
 */
export interface CleanStep {
  /** Method name of the step, for example `reset_ilo`. */
  step: string;
  /** Automated-cleaning priority; higher runs first, 0 means disabled. */
  priority: number;
  /** Whether the step may be aborted while it runs. */
  abortable: boolean;
  /** Arguments the step accepts, or `null` when it takes none. */
  argsinfo: Record<string, CleanStepArgInfo> | null;
  /** The interface that implements the step. */
  interface: CleaningInterface;
}

/** A step named in a manual cleaning request, with its arguments. */
export interface RequestedCleanStep {
  /** Interface that implements the step. */
  interface: CleaningInterface;
  /** Step name. */
  step: string;
  /** Arguments, validated against the step's `argsinfo`. */
  args?: Record<string, JsonValue>;
}

/** A step ready to execute: the step's description plus the arguments to call it with. */
export interface PlannedCleanStep extends CleanStep {
  /** Arguments to call the step with (empty for automated cleaning). */
  args: Record<string, JsonValue>;
}

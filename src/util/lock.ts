import type { Task } from '../contracts/index.js';
import { ExclusiveLockRequired } from '../errors/index.js';

/**
 * Throws {@link ExclusiveLockRequired} when the task holds only a shared lock: Ironic's
 * `@require_exclusive_lock`, for operations that change the node or its hardware.
 *
 * @example
 * ```ts
 * requireExclusiveLock(task); // before setting the power state
 * ```
 */
export function requireExclusiveLock(task: Pick<Task, 'shared'>): void {
  if (task.shared) throw new ExclusiveLockRequired();
}

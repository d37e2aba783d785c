/**
 * Test doubles for users' own suites (`ironic-ilo/testing`). They depend on the public API only.
 *
 * @module
 */

export type {
  MemoryObject,
  MemoryStoreOperation,
  MemoryStoreOptions,
  MemoryStoreRequest,
} from './memory-store.js';
export { MemoryStore } from './memory-store.js';
export type { TestTask, TestTaskOptions } from './test-task.js';
export { createTestTask } from './test-task.js';

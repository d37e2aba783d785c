/**
 * Test doubles for users' own suites (`ironic-ilo/testing`). They depend on the public API only.
 *
 * @module
 */

export type { FileDiskWrite, FileDiskWriterOptions } from './file-disk-writer.js';
export { FileDiskWriter } from './file-disk-writer.js';
export type { TestTask, TestTaskOptions } from './test-task.js';
export { createTestTask } from './test-task.js';

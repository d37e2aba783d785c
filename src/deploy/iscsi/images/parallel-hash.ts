/**
 * A hash computed on a worker thread, so that verifying `image_checksum` runs beside the iSCSI
 * I/O instead of taking turns with it on the main thread. Bytes in shared memory are hashed in
 * place; other bytes are copied once and handed over.
 */
import { Worker } from 'node:worker_threads';
import type { ChunkReceipt } from './extent.js';

// Runs as a CommonJS script in the worker: no file to resolve, whatever the bundle layout.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const hash = require('node:crypto').createHash(workerData.algorithm);
parentPort.on('message', (m) => {
  if (m.digest) parentPort.postMessage({ digest: hash.digest('hex') });
  else {
    hash.update(new Uint8Array(m.buffer, m.offset, m.length));
    parentPort.postMessage({ id: m.id });
  }
});
`;

/** At most this many chunks wait in the worker; `update` waits beyond that (bounded memory). */
const MAX_QUEUED = 8;

/** An incremental hash on a worker thread. */
export class ParallelHash {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, () => void>();
  private digestWaiter: ((hex: string) => void) | undefined;
  private failure: Error | undefined;

  constructor(private readonly algorithm: string) {}

  /** Queues bytes (in order); resolves once they are queued, with a receipt for when they are hashed. */
  async update(bytes: Buffer): Promise<ChunkReceipt> {
    while (this.waiting.size >= MAX_QUEUED && !this.failure) await this.oldest();
    const worker = this.start();
    const id = this.nextId++;
    const done = new Promise<void>((resolve) => this.waiting.set(id, resolve));
    if (bytes.buffer instanceof SharedArrayBuffer) {
      worker.postMessage({ id, buffer: bytes.buffer, offset: bytes.byteOffset, length: bytes.byteLength });
    } else {
      const copy = new Uint8Array(bytes);
      worker.postMessage({ id, buffer: copy.buffer, offset: 0, length: copy.byteLength }, [copy.buffer]);
    }
    return { done };
  }

  /** The hex digest of everything queued; ends the worker. */
  async digest(): Promise<string> {
    const worker = this.start();
    try {
      const hex = await new Promise<string>((resolve) => {
        this.digestWaiter = resolve;
        worker.postMessage({ digest: true });
      });
      if (this.failure) throw this.failure;
      return hex;
    } finally {
      await this.close();
    }
  }

  /** Ends the worker (idempotent); queued bytes are released. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.settleAll();
    if (w) await w.terminate();
  }

  private start(): Worker {
    if (this.failure) throw this.failure;
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { algorithm: this.algorithm } });
    worker.unref();
    worker.on('message', (m: { id?: number; digest?: string }) => {
      if (m.digest !== undefined) {
        this.digestWaiter?.(m.digest);
        return;
      }
      const done = this.waiting.get(m.id!);
      this.waiting.delete(m.id!);
      done?.();
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      this.settleAll();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(new Error(`the hashing worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private oldest(): Promise<void> {
    const first = this.waiting.keys().next().value as number;
    return new Promise((resolve) => {
      const done = this.waiting.get(first)!;
      this.waiting.set(first, () => {
        done();
        resolve();
      });
    });
  }

  private settleAll(): void {
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
    const w = this.digestWaiter;
    this.digestWaiter = undefined;
    w?.('');
  }
}

/**
 * The store and the disk writer the demo hands the drivers: the real ones, behind their own
 * interfaces, reporting each publish, removal and write to the timeline as it happens (with the
 * bytes moved, for the progress line).
 */
import type {
  DiskWriteOptions,
  DiskWriteRequest,
  DiskWriteResult,
  DiskWriter,
  ImageSource,
  ImageStore,
  IscsiTarget,
  OperationOptions,
  PublishedImage,
  PublishOptions,
  StoredImage,
  UrlOptions,
} from '../../index.js';
import { redact } from '../../index.js';
import type { Timeline } from './timeline.js';

/** A stored name as it may be shown: the random suffix of a secret image's name masked. */
export const shownName = (name: string): string => redact(`/${name}`).slice(1);

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;

/** Counts the bytes of a streamed source as the store consumes it. */
async function* counted(
  source: AsyncIterable<Uint8Array>,
  onBytes: (done: number) => void,
): AsyncIterable<Uint8Array> {
  let done = 0;
  for await (const chunk of source) {
    done += chunk.length;
    onBytes(done);
    yield chunk;
  }
}

/** An {@link ImageStore} that tells the timeline what the drivers publish and remove. */
export class ObservedStore implements ImageStore {
  /** Names published, in order. */
  readonly published: string[] = [];
  /** Names removed, in order. */
  readonly removed: string[] = [];

  constructor(
    private readonly store: ImageStore,
    private readonly timeline: Timeline,
  ) {}

  get kind(): string {
    return this.store.kind;
  }

  async publish(name: string, source: ImageSource, options?: PublishOptions): Promise<PublishedImage> {
    const label = `publishing ${name}`;
    const total = options?.contentLength;
    const input =
      typeof source === 'string' || source instanceof Uint8Array
        ? source
        : counted(source, (doneBytes) => this.timeline.progress({ label, doneBytes, totalBytes: total }));
    const image = await this.store.publish(name, input, options);
    this.timeline.progress(undefined);
    this.published.push(image.name);
    const ttl =
      options?.ttlSeconds === undefined ? '' : `, removed after ${options.ttlSeconds} s at the latest`;
    this.timeline.step(
      'Conductor',
      'ImageStore',
      `Publishes ${shownName(image.name)} (${mib(image.size)}${options?.secret ? ', unguessable name' : ''}${ttl}) at ${image.url}`,
    );
    return image;
  }

  urlFor(name: string, options?: UrlOptions): Promise<string> {
    return this.store.urlFor(name, options);
  }

  async remove(name: string, options?: OperationOptions): Promise<boolean> {
    const removed = await this.store.remove(name, options);
    if (removed) {
      this.removed.push(name);
      this.timeline.step('Conductor', 'ImageStore', `Removes ${shownName(name)}`);
    }
    return removed;
  }

  head(name: string, options?: OperationOptions): Promise<StoredImage | undefined> {
    return this.store.head(name, options);
  }

  list(prefix?: string, options?: OperationOptions): Promise<StoredImage[]> {
    return this.store.list(prefix, options);
  }

  async acquire(name: string, holderId: string, options?: OperationOptions): Promise<number> {
    const holders = await this.store.acquire(name, holderId, options);
    this.timeline.step(
      'Conductor',
      'ImageStore',
      `Holds the shared ${name} for the node (${holders} holder)`,
    );
    return holders;
  }

  async release(name: string, holderId: string, options?: OperationOptions): Promise<number> {
    const before = await this.store.head(name, options);
    const holders = await this.store.release(name, holderId, options);
    this.timeline.step('Conductor', 'ImageStore', `Releases the shared ${name} (${holders} holders left)`);
    if (holders === 0 && before !== undefined && (await this.store.head(name, options)) === undefined) {
      this.removed.push(name);
      this.timeline.step('Conductor', 'ImageStore', `Removes ${name}: its last holder released it`);
    }
    return holders;
  }

  holders(name: string, options?: OperationOptions): Promise<string[]> {
    return this.store.holders(name, options);
  }
}

/**
 * The iscsi_ilo {@link DiskWriter} of the demo: the real `IscsiDiskWriter`, pointed at the
 * in-process iSCSI target. The ramdisk posts the portal a real one listens on (3260); the demo's
 * target listens on an ephemeral port of 127.0.0.1 (3260 would need root and may be taken), so
 * the portal is translated here and nowhere else.
 */
export class RoutedDiskWriter implements DiskWriter {
  /** What each write returned, in order. */
  readonly results: DiskWriteResult[] = [];

  constructor(
    private readonly writer: DiskWriter,
    private readonly portal: () => { address: string; port: number },
    private readonly timeline: Timeline,
  ) {}

  async write(
    target: IscsiTarget,
    request: DiskWriteRequest,
    options?: DiskWriteOptions,
  ): Promise<DiskWriteResult> {
    const routed = { ...target, ...this.portal() };
    this.timeline.step(
      'Conductor',
      'Ramdisk',
      `Logs in to ${target.iqn} (LUN ${target.lun ?? 1}) at ${routed.address}:${routed.port} and writes the ${
        request.partitions === undefined ? 'whole-disk' : 'partition'
      } image over iSCSI`,
    );
    const label = `writing over iSCSI to ${target.iqn}`;
    const result = await this.writer.write(routed, request, {
      ...options,
      onProgress: (p) => {
        this.timeline.progress({ label, doneBytes: p.doneBytes, totalBytes: p.totalBytes });
        options?.onProgress?.(p);
      },
    });
    this.timeline.progress(undefined);
    this.results.push(result);
    this.timeline.step(
      'Conductor',
      'Ramdisk',
      result.rootUuid === undefined
        ? `Wrote the disk; its identifier is ${result.diskIdentifier}`
        : `Wrote the disk; reads back the root file system's UUID ${result.rootUuid}`,
    );
    return result;
  }
}

import type { OperationOptions } from '../contracts/index.js';

/**
 * What can be published: a file path, bytes in memory, or a stream (a Node `Readable`, a web
 * `ReadableStream` or any async iterable of byte chunks). Streams are consumed once and never
 * held whole in memory.
 *
 * @example
 * ```ts
 * const fromFile: ImageSource = '/var/lib/ironic/boot.iso';
 * const fromBytes: ImageSource = new Uint8Array([1, 2, 3]);
 * const fromStream: ImageSource = createReadStream('/tmp/floppy.img');
 * ```
 */
export type ImageSource = string | Uint8Array | AsyncIterable<Uint8Array>;

/** Options of {@link ImageStore.publish}. */
export interface PublishOptions extends OperationOptions {
  /**
   * Seconds after which the object is removed and its URL stops working: Swift's
   * `X-Delete-After`, the web server's expiry sweep. Ironic gave the virtual floppy
   * `[ilo] swift_object_expiry_timeout` (900). Unset: the object lives until removed.
   */
  ttlSeconds?: number;
  /** Expected size in bytes. A source that yields another size fails the publish. */
  contentLength?: number;
  /**
   * The image holds a secret (the floppy carries the deploy key and the agent token): the stored
   * name gets a suffix of 128 random bits so that its URL cannot be guessed (and the stores mask
   * that suffix in logs and errors). Use the returned {@link PublishedImage.name} from then on.
   */
  secret?: boolean;
  /** User metadata kept with the object (Swift `X-Object-Meta-*`). Keys: letters, digits, `-`, `_`. */
  metadata?: Readonly<Record<string, string>>;
  /** `Content-Type` to serve it with (default `application/octet-stream`). */
  contentType?: string;
}

/** What {@link ImageStore.publish} returns. */
export interface PublishedImage {
  /** The stored name: the requested one, plus a random suffix for secret images. */
  name: string;
  /** A URL the iLO can fetch with HEAD and (ranged) GET. Valid for the TTL when one was given. */
  url: string;
  /** Bytes stored. */
  size: number;
  /** MD5 of the content, hex (Swift's ETag). */
  md5: string;
  /** When the object expires, if it was published with a TTL. */
  expiresAt?: Date;
}

/** Options of {@link ImageStore.urlFor}. */
export interface UrlOptions extends OperationOptions {
  /** How long a signed URL stays valid, in seconds (default: the store's URL lifetime). */
  ttlSeconds?: number;
  /** Ask the server to offer the download under this file name (Swift temp URL `filename`). */
  filename?: string;
  /** Ask the server to serve it inline rather than as an attachment (Swift temp URL `inline`). */
  inline?: boolean;
}

/** One stored object, as {@link ImageStore.head} and {@link ImageStore.list} describe it. */
export interface StoredImage {
  /** The object's name. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** When it was last written, when the store knows. */
  lastModified?: Date;
  /** MD5 hex of the content, when the store knows it without reading it. */
  md5?: string;
  /** When it expires, if it was published with a TTL. */
  expiresAt?: Date;
  /** User metadata (Swift `X-Object-Meta-*`), keys lower-cased. */
  metadata: Record<string, string>;
}

/**
 * Where the floppy and boot ISOs live so that the iLO can fetch them. The deploy drivers take
 * one as an injected dependency: {@link SwiftStore} (Swift temp URLs), {@link WebServerStore}
 * (a directory an HTTP server exposes) or `MemoryStore` from `ironic-ilo/testing`; implement this
 * interface to publish anywhere else.
 *
 * Names are relative paths of safe segments (letters, digits, `.`, `_`, `-`, `+`, `:`, `@`, `~`;
 * no segment starting with a dot) — see {@link validateImageName}.
 *
 * Shared boot ISOs are reference-counted with {@link ImageStore.acquire} and
 * {@link ImageStore.release}: one marker per holder, the count being the listing, and a guarded
 * re-check before the last holder deletes the object (see {@link publishShared}).
 *
 * @example
 * ```ts
 * const floppy = await store.publish(`image-${node.uuid}`, floppyBytes, {
 *   ttlSeconds: config.ilo.swiftObjectExpiryTimeout,
 *   secret: true,
 * });
 * await client.insertVirtualMedia(floppy.url, 'FLOPPY');
 * // …after deploy:
 * await store.remove(floppy.name);
 * ```
 */
export interface ImageStore {
  /** What kind of store this is, for logs: `'swift'`, `'web-server'`, `'memory'`, … */
  readonly kind: string;
  /**
   * Stores `source` under `name` (replacing any object of that name) and returns a URL for it.
   * Atomic: on failure or abort nothing partial is left, and an object of the same name that
   * existed before is untouched.
   */
  publish(name: string, source: ImageSource, options?: PublishOptions): Promise<PublishedImage>;
  /** A URL for an existing object (a fresh temp URL for Swift). Does not check that it exists. */
  urlFor(name: string, options?: UrlOptions): Promise<string>;
  /**
   * Removes the object. Idempotent: a missing object is logged (as Ironic did) and `false` is
   * returned; `true` when something was removed. Other failures throw.
   */
  remove(name: string, options?: OperationOptions): Promise<boolean>;
  /** Describes the object, or `undefined` when it does not exist (or has expired). */
  head(name: string, options?: OperationOptions): Promise<StoredImage | undefined>;
  /** Every object whose name starts with `prefix` (all when omitted), sorted by name. */
  list(prefix?: string, options?: OperationOptions): Promise<StoredImage[]>;
  /**
   * Registers `holderId` (typically a node UUID) as a user of the shared object `name` and
   * returns the number of holders. Idempotent per holder. Throws `ImageNotFound` (after
   * withdrawing the registration) when the object does not exist — for example because its last
   * holder deleted it a moment earlier: publish it again and retry (`publishShared()` does).
   */
  acquire(name: string, holderId: string, options?: OperationOptions): Promise<number>;
  /**
   * Withdraws `holderId` and returns how many holders remain. When none remain the object is
   * deleted — never while another holder's registration exists. Idempotent.
   */
  release(name: string, holderId: string, options?: OperationOptions): Promise<number>;
  /** The current holders of `name`, sorted. */
  holders(name: string, options?: OperationOptions): Promise<string[]>;
}

import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';

/**
 * What a simulated iLO got when it fetched a virtual media image (`HEAD`, then `GET`), as a
 * real iLO reads the URL it was given.
 *
 * @example
 * ```ts
 * const fetch = await node.server.floppy.fetched();
 * expect(fetch?.sha256).toBe(sha256(floppyImage));
 * ```
 */
export interface MediaFetch {
  /** The URL. */
  url: string;
  /** Status of the `HEAD` request, `null` if it failed to connect. */
  headStatus: number | null;
  /** Status of the `GET` request, `null` if none was made or it failed to connect. */
  status: number | null;
  /** Bytes received by the `GET`. */
  bytes: number;
  /** SHA-256 (hex) of the bytes received, `null` without a successful `GET`. */
  sha256: string | null;
  /** The bytes themselves when no larger than the simulator's `keepMediaBytes`, else `null`. */
  data: Buffer | null;
  /** Why the fetch failed, `null` when it succeeded. */
  error: string | null;
  /** When the fetch ended (`Date.now()`); the slot sets it when the fetcher did not. */
  finishedAt?: number;
}

/**
 * Fetches an image URL the way an iLO does and reports what it got.
 *
 * @example
 * ```ts
 * const fetcher: MediaFetcher = async (url) => ({ url, headStatus: 200, status: 200, bytes: 0, sha256: null, data: null, error: null });
 * ```
 */
export type MediaFetcher = (url: string) => Promise<MediaFetch>;

/** A fetcher using one undici Agent; TLS is not verified unless `ca` is given (iLO 4 does not verify). */
export function createMediaFetcher(options: { keepBytes: number; ca?: string | undefined }): {
  fetch: MediaFetcher;
  close: () => Promise<void>;
} {
  const agent = new Agent({
    connect: options.ca === undefined ? { rejectUnauthorized: false } : { ca: options.ca },
  });
  const fetch: MediaFetcher = async (url) => {
    const out: MediaFetch = {
      url,
      headStatus: null,
      status: null,
      bytes: 0,
      sha256: null,
      data: null,
      error: null,
    };
    try {
      const head = await request(url, { method: 'HEAD', dispatcher: agent });
      await head.body.dump();
      out.headStatus = head.statusCode;
      if (head.statusCode !== 200) {
        out.error = `HEAD answered ${head.statusCode}`;
        return out;
      }
      const res = await request(url, { method: 'GET', dispatcher: agent });
      out.status = res.statusCode;
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      for await (const chunk of res.body) {
        const buf = chunk as Buffer;
        hash.update(buf);
        out.bytes += buf.length;
        if (out.bytes <= options.keepBytes) kept.push(buf);
      }
      if (res.statusCode !== 200) {
        out.error = `GET answered ${res.statusCode}`;
        return out;
      }
      out.sha256 = hash.digest('hex');
      if (out.bytes <= options.keepBytes) out.data = Buffer.concat(kept, out.bytes);
    } catch (error) {
      out.error = error instanceof Error ? error.message : String(error);
    }
    return out;
  };
  return { fetch, close: () => agent.close() };
}

/**
 * A virtual media device (floppy or CD/DVD) of a simulated iLO: the inserted URL, whether it is
 * connected, its boot option and write protection, and what the iLO fetched from each URL.
 *
 * @example
 * ```ts
 * const cd = node.server.cdrom;
 * if (cd.inserted) console.log(cd.imageUrl, (await cd.fetched())?.bytes);
 * ```
 */
export class MediaSlot {
  /** Inserted image URL, `null` when empty. */
  imageUrl: string | null = null;
  /** Whether an image is inserted. */
  inserted = false;
  /** Whether the device is attached to the host now (`CONNECT`; RIS connects on insert). */
  connected = false;
  /** What happens at the next server boot. */
  bootOption: 'BOOT_ONCE' | 'BOOT_ALWAYS' | 'NO_BOOT' = 'NO_BOOT';
  /** Whether the host sees the media read-only. */
  writeProtect = false;
  /** Every fetch, oldest first. */
  readonly fetches: MediaFetch[] = [];
  private latest: Promise<MediaFetch> | undefined;

  constructor(
    /** `'FLOPPY'` or `'CDROM'`. */
    readonly device: 'FLOPPY' | 'CDROM',
    /** How this iLO fetches images. */
    readonly fetcher: MediaFetcher,
  ) {}

  /** Inserts `url` (replacing any image) and starts fetching it. */
  insert(url: string): void {
    this.imageUrl = url;
    this.inserted = true;
    const fetch = this.fetcher(url).then((fetched) => {
      const result = { ...fetched, finishedAt: fetched.finishedAt ?? Date.now() };
      this.fetches.push(result);
      return result;
    });
    this.latest = fetch;
  }

  /** Ejects the image: empty, disconnected, no boot. */
  eject(): void {
    this.imageUrl = null;
    this.inserted = false;
    this.connected = false;
    this.bootOption = 'NO_BOOT';
    this.writeProtect = false;
  }

  /** The most recent fetch once it has finished, `undefined` if nothing was ever inserted. */
  fetched(): Promise<MediaFetch | undefined> {
    return this.latest ?? Promise.resolve(undefined);
  }

  /** After a boot, a `BOOT_ONCE` image is released (HPE iLO scripting guide). */
  afterBoot(_bootedFromThis: boolean): void {
    if (this.bootOption === 'BOOT_ONCE' && this.inserted) this.eject();
  }
}

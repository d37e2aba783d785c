import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { ImageRefValidationFailed } from '../../errors/index.js';
import { redactUrl } from '../../util/index.js';
import { describeError, discard, type HttpResponse, send, type Transport } from '../http.js';
import { isInside } from '../web/paths.js';
import type { ImageRef } from './refs.js';

/** Size and date of an image. */
export interface Described {
  size?: number;
  lastModified?: Date;
}

function invalid(ref: ImageRef, reason: string, cause?: unknown): ImageRefValidationFailed {
  return new ImageRefValidationFailed({ imageHref: redactUrl(ref.ref), reason, cause });
}

async function request(
  transport: Transport,
  ref: ImageRef,
  method: 'HEAD' | 'GET',
  url: string,
  signal: AbortSignal | undefined,
): Promise<HttpResponse> {
  try {
    return await send(transport, { method, url, signal });
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw invalid(ref, `${method} failed: ${describeError(e)}`, e);
  }
}

function described(res: HttpResponse): Described {
  const out: Described = {};
  const size = Number(res.headers['content-length']);
  if (res.headers['content-length'] !== undefined && Number.isSafeInteger(size)) out.size = size;
  const modified = Date.parse(res.headers['last-modified'] ?? '');
  if (Number.isFinite(modified)) out.lastModified = new Date(modified);
  return out;
}

/** HEAD: must answer 200 (Ironic's `HttpImageService.validate_href`). */
export async function showHttp(
  transport: Transport,
  ref: ImageRef,
  signal: AbortSignal | undefined,
): Promise<Described> {
  const res = await request(transport, ref, 'HEAD', ref.target, signal);
  await discard(res.body);
  if (res.status !== 200)
    throw invalid(ref, `Got HTTP code ${res.status} instead of 200 in response to HEAD request.`);
  return described(res);
}

/** GET, streamed: must answer 200. */
export async function openHttp(
  transport: Transport,
  ref: ImageRef,
  url: string,
  signal: AbortSignal | undefined,
): Promise<{ stream: HttpResponse['body']; size?: number }> {
  const res = await request(transport, ref, 'GET', url, signal);
  if (res.status !== 200) {
    await discard(res.body);
    throw invalid(ref, `Got HTTP code ${res.status} instead of 200 in response to GET request.`);
  }
  const { size } = described(res);
  return { stream: res.body, ...(size === undefined ? {} : { size }) };
}

async function checkedPath(ref: ImageRef, roots: readonly string[] | undefined): Promise<string> {
  let real: string;
  try {
    real = await realpath(ref.target);
  } catch (e) {
    throw invalid(ref, 'Specified image file not found.', e);
  }
  if (roots !== undefined) {
    const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => undefined)));
    if (!realRoots.some((r) => r !== undefined && isInside(r, real)))
      throw invalid(ref, 'the file is outside the directories allowed for file:// images (fileRoots)');
  }
  return real;
}

/** stat of a file:// image, inside the allowed roots. */
export async function showFile(ref: ImageRef, roots: readonly string[] | undefined): Promise<Described> {
  const path = await checkedPath(ref, roots);
  const st = await stat(path);
  if (!st.isFile()) throw invalid(ref, 'it is not a regular file');
  return { size: st.size, lastModified: st.mtime };
}

/** Opens a file:// image, inside the allowed roots. */
export async function openFile(
  ref: ImageRef,
  roots: readonly string[] | undefined,
): Promise<{ stream: ReturnType<typeof createReadStream>; size?: number }> {
  const { size } = await showFile(ref, roots);
  const path = await checkedPath(ref, roots);
  return {
    stream: createReadStream(path, { highWaterMark: 1024 * 1024 }),
    ...(size === undefined ? {} : { size }),
  };
}

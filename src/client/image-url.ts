import { posix } from 'node:path';
import { type Dispatcher, request } from 'undici';
import { ImageRefValidationFailed } from '../errors/index.js';
import { redactUrl } from '../util/index.js';

/**
 * proliantutils' `validate_href`: `HEAD` the image URL from here and refuse it unless it answers
 * 200 and names a file. Catches a wrong URL before the iLO silently fails to boot from it.
 */
export async function validateImageUrl(
  url: string,
  options: { dispatcher?: Dispatcher | undefined; signal?: AbortSignal | undefined; timeoutMs: number },
): Promise<void> {
  const fail = (reason: string) => new ImageRefValidationFailed({ imageHref: redactUrl(url), reason });
  if (posix.basename(new URL(url).pathname) === '') throw fail('Given URL is not reachable.');
  const budget = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? budget : AbortSignal.any([options.signal, budget]);
  let status: number;
  try {
    const res = await request(url, {
      method: 'HEAD',
      signal,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    await res.body.dump();
    status = res.statusCode;
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw fail(budget.aborted ? 'HEAD request timed out' : redactUrl(String((error as Error).message)));
  }
  if (status !== 200) throw fail(`Got HTTP code ${status} instead of 200 in response to HEAD request.`);
}

// Child process of bench/store.bench.ts: one SwiftStore.publish of a file, in a process of its
// own so that its peak RSS is its own, running the built package (dist/) as a user would.
// Prints {"transferSeconds", "size", "rssBeforeMiB", "peakRssMiB"}.
//
//   node bench/store-upload.mjs <authUrl> <user> <key> <container> <object> <file>
import { SwiftStore } from '../dist/index.js';

const [url, user, key, container, object, file] = process.argv.slice(2);
// A fixed temp-URL key: the benchmark measures the upload, not the account HEAD.
const store = new SwiftStore({ auth: { version: 1, url, user, key }, container, tempUrlKey: 'bench' });
const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
const started = performance.now();
const published = await store.publish(object, file);
const transferSeconds = (performance.now() - started) / 1000;
await store.close();
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ transferSeconds, size: published.size, rssBeforeMiB, peakRssMiB })}\n`,
);

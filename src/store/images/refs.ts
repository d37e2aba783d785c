import { fileURLToPath } from 'node:url';
import { isGlanceImage } from '../../config/index.js';
import { ImageRefValidationFailed } from '../../errors/index.js';
import { redactUrl } from '../../util/index.js';
import { imageNameProblem } from '../names.js';

/**
 * The kinds of image reference a node can carry.
 *
 * @example
 * ```ts
 * const kind: ImageRefKind = parseImageRef(node.driverInfo.ilo_deploy_iso!).kind; // 'glance', 'http', …
 * ```
 */
export type ImageRefKind = 'http' | 'file' | 'swift' | 'glance';

/**
 * An image reference, classified: `http(s)://…`, `file:///…`, `swift:<object>` (an object of
 * the conductor's own image store) or a Glance image (`glance://<id>` or a bare image UUID).
 *
 * @example
 * ```ts
 * const ref: ImageRef = parseImageRef('swift:boot-1be26c0b');
 * // { ref: 'swift:boot-1be26c0b', kind: 'swift', target: 'boot-1be26c0b' }
 * ```
 */
export interface ImageRef {
  /** The reference as given. */
  ref: string;
  /** Its kind. */
  kind: ImageRefKind;
  /** The URL (http), the absolute path (file), the object name (swift) or the image id (glance). */
  target: string;
}

/**
 * Classifies an image reference as Ironic's image services did. Unsupported schemes (ftp,
 * s3, a relative path…) throw {@link ImageRefValidationFailed} naming the reference (with any
 * signature removed).
 *
 * @example
 * ```ts
 * parseImageRef('http://images/deploy.iso').kind; // 'http'
 * parseImageRef('0e8a5b8c-3f6d-4a9c-9e8c-6f2f0b1a2c3d').kind; // 'glance'
 * parseImageRef('ftp://x/y.iso'); // throws ImageRefValidationFailed
 * ```
 */
export function parseImageRef(ref: string): ImageRef {
  const invalid = (reason: string) =>
    new ImageRefValidationFailed({ imageHref: redactUrl(String(ref)), reason });
  if (typeof ref !== 'string' || ref === '') throw invalid('the reference is empty');
  if (isGlanceImage(ref)) {
    const id = ref.startsWith('glance://') ? (ref.split('/').pop() ?? '') : ref;
    if (id === '') throw invalid('the Glance reference has no image id');
    return { ref, kind: 'glance', target: id };
  }
  if (ref.startsWith('swift:')) {
    const object = ref.slice('swift:'.length);
    const problem = imageNameProblem(object);
    if (problem !== undefined) throw invalid(`the Swift object name ${problem} (expected swift:<object>)`);
    return { ref, kind: 'swift', target: object };
  }
  if (!URL.canParse(ref)) throw invalid('it is neither a URL, swift:<object> nor a Glance image id');
  const url = new URL(ref);
  switch (url.protocol) {
    case 'http:':
    case 'https:':
      return { ref, kind: 'http', target: url.toString() };
    case 'file:':
      if (url.host !== '' && url.host !== 'localhost') throw invalid('file:// references must be local');
      return { ref, kind: 'file', target: fileURLToPath(url) };
    default:
      throw invalid(
        `unsupported scheme ${url.protocol.slice(0, -1)} (supported: http, https, file, swift:<object>, Glance image ids)`,
      );
  }
}

import { ImageCreationFailed, isIronicIloError } from '../errors/index.js';
import { type IsoEntry, openIsoImage } from './iso/reader.js';
import type { RandomAccessSource, ReadableImage } from './random-access.js';
import { type ResolvedInput, reason } from './source.js';

/** What a UEFI boot ISO takes from a deploy ISO, as Ironic found it by mounting it. */
export interface DeployIsoEsp {
  /** Path of `efiboot.img` in the deploy ISO (kept in the boot ISO). */
  readonly espPath: string;
  /** Path of `grub.cfg` in the deploy ISO (the boot ISO's rendered grub.cfg goes there). */
  readonly grubCfgPath: string;
  /** The ESP image's bytes, read from the deploy ISO when the boot ISO is written. */
  readonly esp: ResolvedInput;
}

const MISSING = "Deploy iso didn't contain efiboot.img or grub.cfg";

/**
 * Finds `efiboot.img` and `grub.cfg` in a deploy ISO. Like Ironic's walk of the mounted ISO,
 * the tree is visited directory by directory in on-disc order and the last match of each wins.
 */
export async function espFromDeployIso(
  deployIso: ReadableImage,
  signal?: AbortSignal,
): Promise<DeployIsoEsp> {
  const owned = typeof deployIso === 'string' || deployIso instanceof Uint8Array;
  const open = () => openIsoImage(owned ? deployIso : borrowed(deployIso), { signal });
  let esp: IsoEntry | undefined;
  let grub: IsoEntry | undefined;
  try {
    const iso = await open();
    try {
      for (const entry of await preorder(iso, '/', signal)) {
        const name = entry.name.toLowerCase();
        if (entry.type !== 'file') continue;
        if (name === 'efiboot.img') esp = entry;
        if (name === 'grub.cfg') grub = entry;
      }
    } finally {
      await iso.close();
    }
  } catch (error) {
    throw new ImageCreationFailed({
      imageType: 'iso',
      error: `cannot read the deploy ISO: ${reason(error)}`,
      cause: error,
    });
  }
  if (esp === undefined || grub === undefined)
    throw new ImageCreationFailed({ imageType: 'iso', error: MISSING });
  const found = esp;
  return {
    espPath: found.path.slice(1),
    grubCfgPath: grub.path.slice(1),
    esp: {
      size: found.size,
      label: `efiboot.img of the deploy ISO`,
      async *chunks(readSignal) {
        const iso = await open().catch((error: unknown) => {
          if (isIronicIloError(error)) throw error;
          throw new ImageCreationFailed({ imageType: 'iso', error: reason(error), cause: error });
        });
        try {
          yield* iso.chunks(found, { signal: readSignal });
        } finally {
          await iso.close();
        }
      },
    },
  };
}

/** Ironic's os.walk order: a directory's entries, then each sub-directory in turn. */
async function preorder(
  iso: Awaited<ReturnType<typeof openIsoImage>>,
  path: string,
  signal: AbortSignal | undefined,
): Promise<IsoEntry[]> {
  const entries = await iso.readdir(path, { signal });
  const out = [...entries];
  for (const e of entries) if (e.type === 'directory') out.push(...(await preorder(iso, e.path, signal)));
  return out;
}

/** A caller's source, which closing the ISO must not close. */
function borrowed(source: RandomAccessSource): RandomAccessSource {
  return { size: source.size, read: (o, l, s) => source.read(o, l, s), close: async () => {} };
}

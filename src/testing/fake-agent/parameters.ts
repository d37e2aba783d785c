/**
 * How the ramdisk reads its configuration from the virtual floppy: the FAT volume labelled
 * `ir-vfd-dev`, file `parameters.txt`, `key=value` lines.
 */
import { openFatImage, type ReadableImage } from '../../index.js';

/** `key=value` lines (split at the first `=`); blank lines and lines without `=` are skipped. */
export function parseParameters(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** Reads `parameters.txt` from a floppy image; throws when it is not there. */
export async function readFloppyParameters(floppy: ReadableImage): Promise<Record<string, string>> {
  const fat = await openFatImage(floppy);
  try {
    if (fat.label.trim().toLowerCase() !== 'ir-vfd-dev')
      throw new Error(`the floppy is labelled ${fat.label}, not ir-vfd-dev`);
    return parseParameters(new TextDecoder().decode(await fat.readFile('parameters.txt')));
  } finally {
    await fat.close();
  }
}

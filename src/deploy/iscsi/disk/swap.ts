/**
 * The Linux swap signature `mkswap` writes (swap header version 1, `SWAPSPACE2`), so the kernel
 * and `blkid` recognise the swap partition without a formatter being run on the node.
 */
import { randomUUID } from 'node:crypto';

/** Page size the header is written for: x86-64 and the ProLiant servers this library drives. */
export const SWAP_PAGE_SIZE = 4096;

/** The first page of a swap area of `sizeBytes`, and the UUID it carries. */
export function swapHeader(sizeBytes: number, label = 'swap1'): { page: Buffer; uuid: string } {
  const page = Buffer.alloc(SWAP_PAGE_SIZE);
  const uuid = randomUUID();
  page.writeUInt32LE(1, 1024); // version
  page.writeUInt32LE(Math.floor(sizeBytes / SWAP_PAGE_SIZE) - 1, 1028); // last_page
  page.writeUInt32LE(0, 1032); // nr_badpages
  // Unlike GPT GUIDs, the swap UUID is stored in the order it is printed.
  Buffer.from(uuid.replace(/-/g, ''), 'hex').copy(page, 1036);
  page.write(label.slice(0, 15), 1052, 'latin1');
  page.write('SWAPSPACE2', SWAP_PAGE_SIZE - 10, 'latin1');
  return { page, uuid };
}

/** Parses the system use area of a directory record: the Rock Ridge fields our readers use. */

/** What Rock Ridge says about one record. */
export interface RockRidgeFields {
  name?: string;
  mode?: number;
  links?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
  symlink?: string;
  /** `CL`: the real location of a directory relocated for depth. */
  childLink?: number;
  /** `RE`: this record is a relocated directory, listed where `CL` points from. */
  relocated?: boolean;
  /** `SP` seen (only in the root's `.` record): SUSP in use, with this skip length. */
  suspSkip?: number;
  /** `ER` seen: the extension identifier. */
  extension?: string;
}

/** Text that spans several entries (and continuation areas) of one record. */
export interface SuspState {
  name: string;
  link: string;
  /** The last symlink component was split and continues in the next. */
  linkContinues: boolean;
}

/** A continuation area to read next: block, offset and length. */
export interface Continuation {
  block: number;
  offset: number;
  length: number;
}

const decoder = new TextDecoder();

/** Parses one system use area into `into`; returns a continuation area to parse next, if any. */
export function parseSystemUse(
  area: Uint8Array,
  into: RockRidgeFields,
  state: SuspState,
): Continuation | undefined {
  let next: Continuation | undefined;
  for (let at = 0; at + 4 <= area.length; ) {
    const sig = String.fromCharCode(area[at]!, area[at + 1]!);
    const len = area[at + 2]!;
    if (len < 4 || at + len > area.length) break;
    const body = area.subarray(at + 4, at + len);
    const bodyView = new DataView(body.buffer, body.byteOffset, body.byteLength);
    switch (sig) {
      case 'SP':
        if (body[0] === 0xbe && body[1] === 0xef) into.suspSkip = body[2] ?? 0;
        break;
      case 'CE':
        next = {
          block: bodyView.getUint32(0, true),
          offset: bodyView.getUint32(8, true),
          length: bodyView.getUint32(16, true),
        };
        break;
      case 'ER': {
        const idLen = body[0] ?? 0;
        into.extension = decoder.decode(body.subarray(4, 4 + idLen));
        break;
      }
      case 'PX':
        into.mode = bodyView.getUint32(0, true);
        into.links = bodyView.getUint32(8, true);
        into.uid = bodyView.getUint32(16, true);
        into.gid = bodyView.getUint32(24, true);
        break;
      case 'NM': {
        const flags = body[0] ?? 0;
        if ((flags & 0x06) === 0) {
          state.name += decoder.decode(body.subarray(1));
          into.name = state.name;
        }
        break;
      }
      case 'SL':
        addSymlinkComponents(body.subarray(1), state);
        into.symlink = state.link;
        break;
      case 'TF':
        into.mtime = modifyTime(body) ?? into.mtime;
        break;
      case 'CL':
        into.childLink = bodyView.getUint32(0, true);
        break;
      case 'RE':
        into.relocated = true;
        break;
      case 'ST':
        return undefined;
    }
    at += len;
  }
  return next;
}

function addSymlinkComponents(components: Uint8Array, state: SuspState): void {
  for (let at = 0; at + 2 <= components.length; ) {
    const flags = components[at]!;
    const len = components[at + 1]!;
    const text = decoder.decode(components.subarray(at + 2, at + 2 + len));
    const part = flags & 0x02 ? '.' : flags & 0x04 ? '..' : text;
    if (flags & 0x08) state.link = '/';
    else if (state.linkContinues || state.link === '' || state.link.endsWith('/')) state.link += part;
    else state.link += `/${part}`;
    state.linkContinues = (flags & 0x01) !== 0;
    at += 2 + len;
  }
}

/** The modification time of a `TF` entry (7-byte or 17-byte form). */
function modifyTime(body: Uint8Array): Date | undefined {
  const flags = body[0] ?? 0;
  const long = (flags & 0x80) !== 0;
  const size = long ? 17 : 7;
  let at = 1;
  if (flags & 0x01) at += size; // creation
  if (!(flags & 0x02)) return undefined;
  const t = body.subarray(at, at + size);
  if (t.length < size) return undefined;
  if (!long) return recordTime(t);
  const text = new TextDecoder().decode(t.subarray(0, 14));
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, k) => Number(text.slice(i, k === 0 ? 4 : i + 2)));
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - ((t[16]! << 24) >> 24) * 15 * 60_000);
}

/** The date of a 7-byte directory-record timestamp (§ 9.1.5). */
export function recordTime(t: Uint8Array): Date {
  const offset = ((t[6]! << 24) >> 24) * 15 * 60_000;
  return new Date(Date.UTC(1900 + t[0]!, t[1]! - 1, t[2]!, t[3]!, t[4]!, t[5]!) - offset);
}

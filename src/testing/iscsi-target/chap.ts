/**
 * CHAP from the authenticator's side (RFC 1994 with MD5, as RFC 7143 § 12.1.3 uses it): the
 * target challenges, checks MD5(identifier ‖ secret ‖ challenge), and for mutual CHAP answers
 * the initiator's challenge with its own secret. Secrets never leave this file.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A CHAP account: a user name and its secret.
 *
 * @example
 * ```ts
 * const account: ChapAccount = { username: 'ironic', secret: 'a-long-shared-secret' };
 * ```
 */
export interface ChapAccount {
  /** CHAP_N. */
  username: string;
  /** The shared secret (never logged). */
  secret: string;
}

/** CHAP_A of MD5. */
export const CHAP_MD5 = '5';

/** The bytes of challenge the target sends. */
const CHALLENGE_BYTES = 16;

function digest(identifier: number, secret: string, challenge: Buffer): Buffer {
  return createHash('md5')
    .update(Buffer.from([identifier & 0xff]))
    .update(secret, 'utf8')
    .update(challenge)
    .digest();
}

/** A binary CHAP value: `0x` hex or `0b` base64; undefined when malformed. */
export function decodeBinary(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  if (/^0x([0-9a-f]{2})+$/i.test(value)) return Buffer.from(value.slice(2), 'hex');
  if (/^0b[A-Za-z0-9+/]+={0,2}$/.test(value)) return Buffer.from(value.slice(2), 'base64');
  return undefined;
}

const hex = (b: Buffer): string => `0x${b.toString('hex')}`;

/** Why a CHAP exchange failed, in words that never carry a secret. */
export type ChapFailure = { failure: string };

/** One CHAP exchange of one login. */
export class ChapExchange {
  private readonly identifier: number;
  private readonly challenge: Buffer;

  constructor(
    private readonly incoming: ChapAccount,
    private readonly outgoing: ChapAccount | undefined,
  ) {
    const bytes = randomBytes(CHALLENGE_BYTES + 1);
    this.identifier = bytes[0]!;
    this.challenge = bytes.subarray(1);
  }

  /** Our answer to the initiator's CHAP_A list: MD5 and the challenge, or a failure. */
  offer(algorithms: string | undefined): Array<[string, string]> | ChapFailure {
    if (!(algorithms ?? '').split(',').includes(CHAP_MD5))
      return { failure: `CHAP_A=${algorithms ?? ''} offers no MD5 (5)` };
    return [
      ['CHAP_A', CHAP_MD5],
      ['CHAP_I', String(this.identifier)],
      ['CHAP_C', hex(this.challenge)],
    ];
  }

  /**
   * Checks CHAP_N/CHAP_R; when the initiator sent CHAP_I/CHAP_C too (mutual CHAP), returns our
   * CHAP_N and CHAP_R.
   */
  verify(keys: ReadonlyMap<string, string>): Array<[string, string]> | ChapFailure {
    const name = keys.get('CHAP_N');
    const response = decodeBinary(keys.get('CHAP_R'));
    const expected = digest(this.identifier, this.incoming.secret, this.challenge);
    if (name === undefined || response === undefined) return { failure: 'CHAP_N or CHAP_R missing' };
    const nameOk = name === this.incoming.username;
    const responseOk = response.length === expected.length && timingSafeEqual(response, expected);
    if (!nameOk || !responseOk) return { failure: `CHAP response of user "${name}" does not match` };
    const theirId = keys.get('CHAP_I');
    const theirChallenge = decodeBinary(keys.get('CHAP_C'));
    if (theirId === undefined && keys.get('CHAP_C') === undefined) return [];
    if (this.outgoing === undefined) return { failure: 'mutual CHAP asked for, no target account set' };
    const id = Number(theirId);
    if (!/^\d{1,3}$/.test(theirId ?? '') || id > 255 || theirChallenge === undefined)
      return { failure: 'unusable mutual CHAP challenge' };
    // A challenge that echoes ours would let a man in the middle reflect our own response.
    if (theirChallenge.equals(this.challenge)) return { failure: 'mutual CHAP challenge reflects ours' };
    return [
      ['CHAP_N', this.outgoing.username],
      ['CHAP_R', hex(digest(id, this.outgoing.secret, theirChallenge))],
    ];
  }
}

/**
 * Text requests in full feature phase (RFC 7143 § 12.3, Appendix C): SendTargets lists target
 * names and the portal they are reached at. Renegotiating operational keys is refused.
 */
import { OperationalNegotiation } from './negotiation.js';
import type { PortalContext, SessionRecord, TargetModel } from './portal.js';
import { encodeKeys, parseKeys } from './text.js';

/** The Text Response data for a Text Request's keys; undefined when the request is malformed. */
export function sendTargets(
  data: Buffer,
  session: SessionRecord,
  portal: PortalContext,
  localAddress: string,
): Buffer | undefined {
  let keys: Array<[string, string]>;
  try {
    keys = parseKeys(data);
  } catch {
    return undefined;
  }
  const reply: Array<[string, string]> = [];
  for (const [key, value] of keys) {
    if (key !== 'SendTargets') {
      reply.push([key, OperationalNegotiation.handles(key) ? 'Reject' : 'NotUnderstood']);
      continue;
    }
    let listed: readonly TargetModel[];
    if (value === 'All') listed = portal.targets();
    else if (value === '') listed = session.target === undefined ? [] : [session.target];
    else listed = [portal.target(value)].filter((t): t is TargetModel => t !== undefined);
    for (const target of listed) {
      reply.push(['TargetName', target.iqn]);
      reply.push(['TargetAddress', `${localAddress},${target.negotiation.targetPortalGroupTag}`]);
    }
  }
  return encodeKeys(reply);
}

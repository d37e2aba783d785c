import type { JsonValue, Node, Port } from '../../contracts/index.js';

/** What Ironic's `as_dict(secure=True)` shows in place of a secret. */
const MASK = '******';
const SECRET_KEY = /password|secret|token|_key$|^key$/i;

function masked(dict: { [key: string]: JsonValue | undefined } | undefined, extra: readonly string[] = []) {
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(dict ?? {})) {
    if (v === undefined) continue;
    out[k] = SECRET_KEY.test(k) || extra.includes(k) ? MASK : v;
  }
  return out;
}

/**
 * The node as the agent's clean and deploy steps receive it: Ironic's field names, with
 * passwords, keys, tokens and the config drive masked as Ironic's `as_dict(secure=True)` did.
 *
 * @example
 * ```ts
 * agentNodeView(node).driver_info.ilo_password; // '******'
 * ```
 */
export function agentNodeView(node: Node): { [key: string]: JsonValue } {
  return {
    uuid: node.uuid,
    name: node.name ?? null,
    driver: node.driver,
    driver_info: masked(node.driverInfo),
    driver_internal_info: masked(node.driverInternalInfo),
    instance_info: masked(node.instanceInfo, ['configdrive']),
    instance_uuid: node.instanceUuid ?? null,
    properties: masked(node.properties),
    extra: masked(node.extra),
    provision_state: node.provisionState,
    target_provision_state: node.targetProvisionState ?? null,
    power_state: node.powerState,
    maintenance: node.maintenance,
    clean_step: node.cleanStep ?? null,
  };
}

/**
 * A port as the agent receives it, with Ironic's field names.
 *
 * @example
 * ```ts
 * agentPortView({ uuid: 'p1', address: '52:54:00:12:34:56' }).address; // '52:54:00:12:34:56'
 * ```
 */
export function agentPortView(port: Port): { [key: string]: JsonValue } {
  return {
    uuid: port.uuid,
    address: port.address,
    extra: port.extra ?? {},
    pxe_enabled: port.pxeEnabled ?? true,
    local_link_connection: port.localLinkConnection ?? {},
  };
}

import { randomBytes, randomInt } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new deploy key: 32 random letters and digits, as Ironic's `random_alnum(32)`, from the
 * system's CSPRNG. The bash ramdisk echoes it back in `pass_deploy_info`; store it in
 * `instance_info.deploy_key` before the ramdisk boots.
 *
 * @example
 * ```ts
 * const deployKey = generateDeployKey();
 * task.node.instanceInfo.deploy_key = deployKey;
 * await task.save();
 * ```
 */
export function generateDeployKey(): string {
  let key = '';
  for (let i = 0; i < 32; i++) key += ALNUM[randomInt(ALNUM.length)];
  return key;
}

/**
 * A new agent token (256 random bits, URL-safe base64), as Ironic's pre-generated
 * `agent_secret_token`: given to the ramdisk as `ipa-agent-token`, kept in
 * `driver_internal_info.agent_secret_token`, and required on every agent call.
 *
 * @example
 * ```ts
 * task.node.driverInternalInfo.agent_secret_token = generateAgentToken();
 * ```
 */
export function generateAgentToken(): string {
  return randomBytes(32).toString('base64url');
}

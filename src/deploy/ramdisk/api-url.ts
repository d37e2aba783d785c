import type { IloConfig } from '../../config/index.js';
import { MissingParameterValue } from '../../errors/index.js';

/**
 * The Ironic API URL the deploy ramdisk calls back: `[conductor] api_url` with its trailing `/`
 * removed (the bash ramdisk appends paths to it as they are). Ironic fell back to the Keystone
 * catalogue; this library has no Keystone client, so the option is required and its absence is a
 * {@link MissingParameterValue} naming it.
 *
 * @example
 * ```ts
 * ironicApiUrl(parseConfig({ conductor: { apiUrl: 'http://10.0.0.1:6385/' } })); // 'http://10.0.0.1:6385'
 * ```
 */
export function ironicApiUrl(config: IloConfig): string {
  const url = config.conductor.apiUrl;
  if (url === undefined || url.trim() === '') {
    throw new MissingParameterValue(
      "Couldn't get the URL of the Ironic API service from the configuration file: set [conductor] api_url.",
      { fields: [{ field: '[conductor] api_url', problem: 'required by the deploy ramdisk (ipa-api-url)' }] },
    );
  }
  return url.replace(/\/+$/, '');
}

import type { PropertyDescriptions } from '../contracts/index.js';

/**
 * The `driver_info` keys every iLO interface needs (Ironic's `REQUIRED_PROPERTIES`), with what
 * `get_properties()` says about them.
 *
 * @example
 * ```ts
 * Object.keys(ILO_REQUIRED_PROPERTIES); // ['ilo_address', 'ilo_username', 'ilo_password']
 * ```
 */
export const ILO_REQUIRED_PROPERTIES: Readonly<PropertyDescriptions> = Object.freeze({
  ilo_address: 'Host name or IP address of the iLO. Required.',
  ilo_username: 'iLO user with administrator privileges. Required.',
  ilo_password: 'Password of ilo_username. Required.',
});

/**
 * Optional `driver_info` keys of the iLO interfaces (Ironic's `OPTIONAL_PROPERTIES`, with the TLS
 * keys of later releases).
 *
 * @example
 * ```ts
 * ILO_OPTIONAL_PROPERTIES.client_port; // 'HTTPS port of the iLO …'
 * ```
 */
export const ILO_OPTIONAL_PROPERTIES: Readonly<PropertyDescriptions> = Object.freeze({
  client_port: 'HTTPS port of the iLO (default [ilo] client_port, 443). Optional.',
  client_timeout: 'Seconds an iLO operation may take (default [ilo] client_timeout, 60). Optional.',
  ca_file: "Path of the CA bundle that signed the iLO's certificate. Optional.",
  ilo_verify_ca:
    "'True', 'False' (no TLS verification, logged) or the path of a CA bundle (default [ilo] verify_ca). Optional.",
});

/**
 * Required and optional keys together (Ironic's `COMMON_PROPERTIES`): what the power and
 * inspect interfaces report.
 *
 * @example
 * ```ts
 * power.getProperties(); // equals ILO_COMMON_PROPERTIES
 * ```
 */
export const ILO_COMMON_PROPERTIES: Readonly<PropertyDescriptions> = Object.freeze({
  ...ILO_REQUIRED_PROPERTIES,
  ...ILO_OPTIONAL_PROPERTIES,
});

/**
 * The `driver_info` key the cleaning steps read (Ironic's `CLEAN_PROPERTIES`).
 *
 * @example
 * ```ts
 * ILO_CLEAN_PROPERTIES.ilo_change_password;
 * ```
 */
export const ILO_CLEAN_PROPERTIES: Readonly<PropertyDescriptions> = Object.freeze({
  ilo_change_password:
    "The iLO password to set. The clean step 'reset_ilo_credential' needs it and moves it into ilo_password.",
});

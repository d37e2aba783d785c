import type { BootMode, Node } from '../../contracts/index.js';
import { InvalidParameterValue } from '../../errors/index.js';

/**
 * Ironic's `validate_boot_option_for_uefi` (bug 1432498): a whole-disk image cannot be
 * net-booted in UEFI mode (the UEFI network boot loaders cannot chain-load a disk), so it must
 * use `boot_option: local`. Throws {@link InvalidParameterValue} naming
 * `instance_info.capabilities.boot_option` otherwise.
 *
 * @example
 * ```ts
 * validateUefiBootOption(node, 'uefi', { isWholeDiskImage: true, bootOption: 'netboot' }); // throws
 * ```
 */
export function validateUefiBootOption(
  node: Pick<Node, 'uuid'>,
  bootMode: BootMode | null,
  image: { isWholeDiskImage: boolean; bootOption: 'local' | 'netboot' },
): void {
  if (bootMode !== 'uefi' || !image.isWholeDiskImage || image.bootOption === 'local') return;
  throw new InvalidParameterValue(
    `Conflict: Whole disk image being used for deploy, but cannot be used with node ${node.uuid} configured to use UEFI boot with netboot option`,
    {
      fields: [
        {
          field: 'instance_info.capabilities.boot_option',
          problem: 'must be local for a whole-disk image in UEFI mode',
        },
      ],
    },
  );
}

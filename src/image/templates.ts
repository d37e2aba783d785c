/**
 * Ironic's boot configuration templates (`isolinux_config.template` and the later
 * `grub_conf.template`), rendered for a kernel at `/vmlinuz` and a ramdisk at `/initrd`.
 */

/** Kernel parameters of a boot ISO: `root=UUID=<uuid>` first when given, then the rest. */
export function bootKernelParams(rootUuid: string | undefined, kernelParams: string): string {
  return [rootUuid === undefined ? undefined : `root=UUID=${rootUuid}`, kernelParams]
    .filter((p): p is string => p !== undefined && p !== '')
    .join(' ');
}

/**
 * isolinux.cfg as Ironic wrote it.
 *
 * @example
 * ```ts
 * renderIsolinuxConfig({ kernel: '/vmlinuz', ramdisk: '/initrd', kernelParams: 'root=UUID=1 nofb' });
 * // 'default boot\n\nlabel boot\nkernel /vmlinuz\nappend initrd=/initrd text root=UUID=1 nofb --\n'
 * ```
 */
export function renderIsolinuxConfig(c: BootConfigValues): string {
  return `default boot\n\nlabel boot\nkernel ${c.kernel}\nappend initrd=${c.ramdisk} text ${c.kernelParams} --\n`;
}

/**
 * grub.cfg as Ironic wrote it for UEFI boot ISOs. The timeout matters: grub started from the
 * ISO's UEFI image reads this file from the ISO and would wait at its menu without one.
 *
 * @example
 * ```ts
 * renderGrubConfig({ kernel: '/vmlinuz', ramdisk: '/initrd', kernelParams: 'nofb', timeoutSeconds: 5 });
 * ```
 */
export function renderGrubConfig(c: BootConfigValues & { timeoutSeconds: number }): string {
  return [
    'set default=0',
    `set timeout=${c.timeoutSeconds}`,
    'set hidden_timeout_quiet=false',
    '',
    'menuentry "boot_partition" {',
    `linux ${c.kernel} ${c.kernelParams} --`,
    `initrd ${c.ramdisk}`,
    '}',
    '',
  ].join('\n');
}

/** What the boot configuration templates are filled with. */
export interface BootConfigValues {
  /** Kernel path on the ISO, `/vmlinuz`. */
  kernel: string;
  /** Ramdisk path on the ISO, `/initrd`. */
  ramdisk: string;
  /** The kernel command line (without the trailing `--`). */
  kernelParams: string;
}

#!/usr/bin/env bash
# Test media for the image suites, cached in .peers/image/ (idempotent):
#   vmlinuz      the kernel of Debian's linux-image-amd64 (apt-get download + dpkg-deb -x, never installed)
#   initrd.img   a busybox-static initramfs whose /init prints the kernel command line and the
#                parameters.txt of the virtual floppy (found by label ir-vfd-dev, as /dev/fd0 or a
#                USB disk), then a marker line, then powers off
#   BOOTX64.EFI  grub-mkimage -O x86_64-efi with prefix /EFI/BOOT, so grub reads the ISO's grub.cfg
#   deploy.iso   a deploy ISO made the way distributions make them (xorriso, mkfs.vfat + mcopy):
#                /images/efiboot.img (an ESP holding BOOTX64.EFI), /EFI/BOOT/grub.cfg, isolinux, hybrid
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.peers/image
version=4
mkdir -p "$out"

kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$kernel_pkg" ]; then
  echo "image.sh: cannot resolve linux-image-amd64 (apt-get update first)" >&2
  exit 1
fi
stamp="$version $kernel_pkg"
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] &&
  [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ] && [ -s "$out/BOOTX64.EFI" ] && [ -s "$out/deploy.iso" ]; then
  echo "image.sh: test media up to date ($kernel_pkg)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The kernel and the modules the initramfs needs, from the package, never installed.
(cd "$work" && apt-get download -q "$kernel_pkg" >/dev/null 2>&1)
dpkg-deb -x "$work"/"$kernel_pkg"_*.deb "$work/kernel"
kver=${kernel_pkg#linux-image-}
moddir="$work/kernel/lib/modules/$kver"
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"

# Module dependencies from each module's own .modinfo (no depmod needed), dependencies first.
declare -A loaded=()
order=()
find_module() { find "$moddir/kernel" \( -name "$1.ko" -o -name "${1//-/_}.ko" -o -name "${1//_/-}.ko" \) -print -quit; }
add_module() {
  local name=$1 file deps dep
  [ -n "${loaded[$name]:-}" ] && return 0
  loaded[$name]=1
  file=$(find_module "$name")
  [ -n "$file" ] || { echo "image.sh: module $name not found in $kernel_pkg" >&2; exit 1; }
  deps=$(tr '\0' '\n' <"$file" | sed -n 's/^depends=//p' | tr ',' ' ')
  for dep in $deps; do add_module "$dep"; done
  order+=("$file")
}
for m in floppy vfat nls_cp437 nls_ascii nls_utf8 usb-storage xhci-pci sd_mod; do add_module "$m"; done

root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,mnt,lib/modules}
cp /bin/busybox "$root/bin/busybox"
: >"$root/modules.order"
for f in "${order[@]}"; do
  cp "$f" "$root/lib/modules/"
  basename "$f" >>"$root/modules.order"
done
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo "IRONIC-ILO-TEST cmdline: $(cat /proc/cmdline)"
for m in $(cat /modules.order); do insmod "/lib/modules/$m" 2>/dev/null; done
# The label as the boot sector holds it (busybox has no blkid, and findfs skips floppies).
label_of() { dd if="$1" bs=1 skip=43 count=11 2>/dev/null; }
dev=""
for i in $(seq 1 40); do
  dev=$(findfs LABEL=ir-vfd-dev 2>/dev/null) && break
  for d in /dev/fd0 /dev/sd?; do
    [ -b "$d" ] && [ "$(label_of "$d")" = "ir-vfd-dev " ] && dev=$d && break 2
  done
  sleep 0.5
done
echo "IRONIC-ILO-TEST floppy device: ${dev:-none}"
if [ -n "$dev" ] && mount -t vfat -o ro "$dev" /mnt; then
  echo "IRONIC-ILO-TEST parameters.txt begin"
  cat /mnt/parameters.txt
  echo
  echo "IRONIC-ILO-TEST parameters.txt end"
  umount /mnt
fi
echo "IRONIC-ILO-TEST-MARKER boot complete"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9 >"$work/initrd.img")

# grub for UEFI: its prefix is /EFI/BOOT on whatever device it was loaded from (the CD).
grub-mkimage -O x86_64-efi -p /EFI/BOOT -o "$work/BOOTX64.EFI" \
  iso9660 fat part_msdos part_gpt normal linux configfile search echo test all_video efi_gop efi_uga \
  gzio serial terminal

# A deploy ISO built as distributions do, with the distributions' tools.
iso="$work/deploy"
mkdir -p "$iso/images" "$iso/EFI/BOOT" "$iso/isolinux"
cp "$work/BOOTX64.EFI" "$iso/EFI/BOOT/BOOTX64.EFI"
cp "$work/vmlinuz" "$iso/vmlinuz"
cp "$work/initrd.img" "$iso/initrd"
cat >"$iso/EFI/BOOT/grub.cfg" <<'CFG'
set timeout=1
menuentry "deploy ramdisk" {
  linux /vmlinuz console=ttyS0 deploy-iso-grub
  initrd /initrd
}
CFG
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
printf 'default deploy\nlabel deploy\nkernel /vmlinuz\nappend initrd=/initrd console=ttyS0 deploy-iso-isolinux\n' >"$iso/isolinux/isolinux.cfg"
esp_kib=$(( ($(stat -c %s "$work/BOOTX64.EFI") + 1023) / 1024 + 256 ))
dd if=/dev/zero of="$iso/images/efiboot.img" bs=1024 count="$esp_kib" status=none
mkfs.vfat -n EFIBOOT "$iso/images/efiboot.img" >/dev/null
mmd -i "$iso/images/efiboot.img" ::/EFI ::/EFI/BOOT
mcopy -i "$iso/images/efiboot.img" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
xorriso -as mkisofs -quiet -r -J -l -V DEPLOY_ISO -o "$work/deploy.iso" \
  -b isolinux/isolinux.bin -no-emul-boot -boot-load-size 4 -boot-info-table \
  -eltorito-alt-boot -e images/efiboot.img -no-emul-boot "$iso" 2>/dev/null

for f in vmlinuz initrd.img BOOTX64.EFI deploy.iso; do mv "$work/$f" "$out/$f"; done
echo "$stamp" >"$out/stamp"
echo "image.sh: test media ready in $out ($kernel_pkg)"

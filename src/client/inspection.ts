import { IloOperationError } from '../errors/index.js';
import type { EssentialProperties, HostHealthData } from './health-types.js';

const OPERATION = 'Get essential properties';

/**
 * Ironic's inspection properties from health data, computed as proliantutils does: memory from
 * the board totals (iLO 4) or DIMMs (iLO 3), CPUs as the sum of threads, `local_gb` as the smallest
 * logical drive minus 1 GiB, MACs of the embedded host ports.
 */
export function essentialPropertiesFrom(health: HostHealthData): EssentialProperties {
  if (health.memory.modules.length === 0 && health.memory.totalMb === 0) {
    throw new IloOperationError({ operation: OPERATION, error: 'the iLO reported no memory data' });
  }
  if (health.processors.length === 0) {
    throw new IloOperationError({ operation: OPERATION, error: 'the iLO reported no processor data' });
  }
  let cpus = 0;
  for (const p of health.processors) {
    if (p.threads === null) {
      throw new IloOperationError({
        operation: OPERATION,
        error: `cannot read the thread count of ${p.label} from "${p.executionTechnology}"`,
      });
    }
    cpus += p.threads;
  }
  const sizes = health.storage
    .flatMap((c) => c.logicalDrives.map((l) => l.capacityGb))
    .filter((gb) => gb > 0);
  // One GiB less than the smallest volume, so that a Nova flavour with root_gb = local_gb fits.
  const localGb = sizes.length === 0 ? 0 : Math.min(...sizes) - 1;
  const macs: Record<string, string> = {};
  for (const nic of health.nics) {
    if (nic.kind === 'host' && (nic.location === null || nic.location === 'Embedded')) {
      macs[nic.port] = nic.macAddress;
    }
  }
  return { properties: { memoryMb: health.memory.totalMb, cpus, cpuArch: 'x86_64', localGb }, macs };
}

/**
 * The iLO and system ROM versions and GPU count found in health data (RIBCL capabilities).
 * GPUs are counted from their temperature sensors, as proliantutils does, but sensors reported
 * `Not Installed` are not counted: proliantutils counted them, and a server with empty GPU slots
 * (a BL460c Gen8 reports two) was then offered to GPU flavours.
 */
export function healthCapabilities(health: HostHealthData): {
  iloFirmwareVersion?: string;
  romFirmwareVersion?: string;
  pciGpuDevices: number;
} {
  const out: { iloFirmwareVersion?: string; romFirmwareVersion?: string; pciGpuDevices: number } = {
    pciGpuDevices: health.temperatures.filter((t) => t.label.includes('GPU') && t.status !== 'Not Installed')
      .length,
  };
  const ilo = health.firmware.find((f) => f.name === 'iLO');
  const rom = health.firmware.find((f) => f.name === 'HP ProLiant System ROM');
  if (ilo !== undefined) out.iloFirmwareVersion = ilo.version;
  if (rom !== undefined) out.romFirmwareVersion = rom.version;
  return out;
}

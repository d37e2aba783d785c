/** A simulated iSCSI target: an IQN, its LUNs, its CHAP accounts and negotiation settings. */
import type { ChapAccount } from './chap.js';
import { SimulatedLun } from './lun.js';
import { DEFAULT_NEGOTIATION, type IscsiTargetNegotiation } from './negotiation.js';
import type { SimulatedTargetOptions } from './options.js';
import type { TargetModel } from './portal.js';

/**
 * One target of an {@link IscsiTargetSimulator}.
 *
 * @example
 * ```ts
 * const target = sim.target('iqn.2008-10.org.openstack:node-1');
 * console.log(target.luns.map((l) => `${l.lun}: ${l.sizeBytes} bytes at ${l.path}`));
 * ```
 */
export class SimulatedTarget {
  /** The target name. */
  readonly iqn: string;
  /** Its alias, if any. */
  readonly alias: string | undefined;
  /** Whether logins must authenticate with CHAP. */
  readonly chapRequired: boolean;
  /** Its logical units, by ascending number. */
  readonly luns: readonly SimulatedLun[];
  /** @internal */
  readonly model: TargetModel;

  private constructor(
    options: SimulatedTargetOptions,
    luns: SimulatedLun[],
    negotiation: Readonly<Required<IscsiTargetNegotiation>>,
  ) {
    this.iqn = options.iqn;
    this.alias = options.alias;
    this.chapRequired = options.chap !== undefined;
    this.luns = [...luns].sort((a, b) => a.lun - b.lun);
    const byNumber = new Map(this.luns.map((l) => [l.lun, l]));
    const numbers = this.luns.map((l) => l.lun);
    const copy = (a: ChapAccount | undefined): ChapAccount | undefined => a && { ...a };
    this.model = {
      iqn: options.iqn,
      alias: options.alias,
      chap: copy(options.chap),
      mutualChap: copy(options.mutualChap),
      negotiation,
      lunNumbers: () => numbers,
      scsiLun: (n) => byNumber.get(n)?.scsi(),
      account: (n, direction, bytes) => byNumber.get(n)?.account(direction, bytes),
    };
  }

  /** @internal Creates the target and its LUNs' backings; nothing is left behind when one fails. */
  static async create(
    options: SimulatedTargetOptions,
    defaults: Readonly<Required<IscsiTargetNegotiation>>,
    tempDirectory: () => Promise<string>,
    at: string,
  ): Promise<SimulatedTarget> {
    const specs = options.luns ?? [{}];
    const used = new Set(specs.flatMap((l) => (l.lun === undefined ? [] : [l.lun])));
    let next = 1;
    const numbered = specs.map((l) => {
      if (l.lun !== undefined) return { ...l, lun: l.lun };
      while (used.has(next)) next++;
      used.add(next);
      return { ...l, lun: next };
    });
    const luns: SimulatedLun[] = [];
    try {
      for (const [i, spec] of numbered.entries())
        luns.push(await SimulatedLun.create(spec, options.iqn, tempDirectory, `${at}.luns[${i}]`));
    } catch (e) {
      await Promise.all(luns.map((l) => l.close()));
      throw e;
    }
    const negotiation = { ...DEFAULT_NEGOTIATION, ...defaults, ...options.negotiation };
    return new SimulatedTarget(options, luns, negotiation);
  }

  /**
   * One of its LUNs.
   *
   * @example
   * ```ts
   * const disk = target.lun(1);
   * ```
   */
  lun(lun = 1): SimulatedLun {
    const found = this.luns.find((l) => l.lun === lun);
    if (found === undefined) throw new RangeError(`target ${this.iqn} has no LUN ${lun}`);
    return found;
  }

  /** @internal Closes every LUN (temp files removed). */
  async close(): Promise<void> {
    await Promise.all(this.luns.map((l) => l.close()));
  }
}

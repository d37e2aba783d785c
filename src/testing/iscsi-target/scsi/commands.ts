/**
 * The SCSI command set of a simulated disk: dispatches a CDB to its command and answers the
 * ones that are not block I/O (TEST UNIT READY, REQUEST SENSE, INQUIRY, REPORT LUNS,
 * READ CAPACITY, MODE SENSE, START STOP UNIT). Unknown opcodes get CHECK CONDITION, ILLEGAL
 * REQUEST, INVALID COMMAND OPERATION CODE.
 */

import { encodeLun } from '../wire.js';
import { readWrite, synchronizeCache, unmap, verify, writeSame } from './block.js';
import { READ_CAPACITY_16, ScsiOp } from './cdb.js';
import { standardInquiry, vpdPage } from './inquiry.js';
import { modeSense } from './mode-sense.js';
import { checkCondition, good, type ScsiOutcome, Sense, senseData } from './outcome.js';
import type { ScsiContext, ScsiLun, ScsiPlan } from './plan.js';

const respond = (outcome: ScsiOutcome): ScsiPlan => ({ kind: 'respond', outcome });

/** Commands a missing LUN still answers (SPC-4 § 4.5.1): everything else is LUN NOT SUPPORTED. */
const ANY_LUN = new Set<number>([ScsiOp.Inquiry, ScsiOp.ReportLuns, ScsiOp.RequestSense]);

/** Decides how to carry out `cdb` on the context's LUN. */
export function planCommand(cdb: Buffer, ctx: ScsiContext): ScsiPlan {
  const op = cdb[0]!;
  const lun = ctx.lun;
  if (lun === undefined && !ANY_LUN.has(op)) return respond(checkCondition(Sense.lunNotSupported));
  switch (op) {
    case ScsiOp.Inquiry:
      return respond(inquiry(cdb, ctx));
    case ScsiOp.ReportLuns:
      return respond(reportLuns(cdb, ctx.lunNumbers));
    case ScsiOp.RequestSense:
      return respond(requestSense(cdb, lun === undefined));
  }
  const disk = lun!;
  switch (op) {
    case ScsiOp.TestUnitReady:
    case ScsiOp.StartStopUnit:
      return respond(good());
    case ScsiOp.ReadCapacity10:
      return respond(readCapacity10(cdb, disk));
    case ScsiOp.ServiceActionIn16:
      return respond(readCapacity16(cdb, disk));
    case ScsiOp.ModeSense6:
    case ScsiOp.ModeSense10:
      return respond(modeSense(cdb, disk));
    case ScsiOp.Read6:
    case ScsiOp.Read10:
    case ScsiOp.Read12:
    case ScsiOp.Read16:
      return readWrite(cdb, disk, false);
    case ScsiOp.Write6:
    case ScsiOp.Write10:
    case ScsiOp.Write12:
    case ScsiOp.Write16:
      return readWrite(cdb, disk, true);
    case ScsiOp.Verify10:
    case ScsiOp.Verify16:
      return verify(cdb, disk);
    case ScsiOp.WriteSame10:
    case ScsiOp.WriteSame16:
      return writeSame(cdb, disk);
    case ScsiOp.Unmap:
      return unmap(cdb, disk);
    case ScsiOp.SynchronizeCache10:
    case ScsiOp.SynchronizeCache16:
      return synchronizeCache(cdb, disk);
    default:
      return respond(checkCondition(Sense.invalidOpcode));
  }
}

function inquiry(cdb: Buffer, ctx: ScsiContext): ScsiOutcome {
  const evpd = (cdb[1]! & 0x01) !== 0;
  const pageCode = cdb[2]!;
  const allocation = cdb.readUInt16BE(3);
  if ((cdb[1]! & 0x02) !== 0 || (!evpd && pageCode !== 0)) return checkCondition(Sense.invalidFieldInCdb);
  if (!evpd) return good(standardInquiry(ctx.lun, ctx.fallbackIdentity).subarray(0, allocation));
  if (ctx.lun === undefined) return checkCondition(Sense.lunNotSupported);
  const page = vpdPage(pageCode, ctx.lun, ctx.targetName);
  return page === undefined ? checkCondition(Sense.invalidFieldInCdb) : good(page.subarray(0, allocation));
}

function reportLuns(cdb: Buffer, luns: readonly number[]): ScsiOutcome {
  const allocation = cdb.readUInt32BE(6);
  // SELECT REPORT 0, 1 and 2 all list the same LUNs here (there are no well-known LUNs).
  if (cdb[2]! > 2 || allocation < 16) return checkCondition(Sense.invalidFieldInCdb);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(luns.length * 8, 0);
  return good(Buffer.concat([head, ...luns.map(encodeLun)]).subarray(0, allocation));
}

function requestSense(cdb: Buffer, missingLun: boolean): ScsiOutcome {
  const descriptor = (cdb[1]! & 0x01) !== 0;
  const condition = missingLun ? Sense.lunNotSupported : { senseKey: 0, asc: 0, ascq: 0 };
  const data = descriptor
    ? Buffer.from([0x72, condition.senseKey, condition.asc, condition.ascq, 0, 0, 0, 0])
    : senseData(condition);
  return good(data.subarray(0, cdb[4]!));
}

function readCapacity10(cdb: Buffer, lun: ScsiLun): ScsiOutcome {
  const pmi = (cdb[8]! & 0x01) !== 0;
  if (!pmi && cdb.readUInt32BE(2) !== 0) return checkCondition(Sense.invalidFieldInCdb);
  const data = Buffer.alloc(8);
  // Past 2^32 blocks the answer is 0xFFFFFFFF: "use READ CAPACITY(16)".
  data.writeUInt32BE(Math.min(lun.blockCount - 1, 0xffffffff), 0);
  data.writeUInt32BE(lun.blockSize, 4);
  return good(data);
}

function readCapacity16(cdb: Buffer, lun: ScsiLun): ScsiOutcome {
  if ((cdb[1]! & 0x1f) !== READ_CAPACITY_16) return checkCondition(Sense.invalidFieldInCdb);
  const data = Buffer.alloc(32);
  data.writeBigUInt64BE(BigInt(lun.blockCount - 1), 0);
  data.writeUInt32BE(lun.blockSize, 8);
  if (lun.thin) data[14] = 0xc0; // LBPME, LBPRZ: thin, unmapped blocks read as zeros
  return good(data.subarray(0, cdb.readUInt32BE(10)));
}

import { IloOperationError } from '../errors/index.js';
import type { HostUuid } from './types.js';
import { child, parseXml, XmlSyntaxError } from './xml.js';

/** Reads the model and UUID from `/xmldata?item=all` (`RIMP/HSI/SPN`, `RIMP/HSI/cUUID`). */
export function parseXmlData(text: string): HostUuid {
  const fail = (error: string) => new IloOperationError({ operation: 'Get host UUID', error });
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw fail(`unreadable /xmldata answer: ${error.message}`);
    throw error;
  }
  const hsi = child(root, 'HSI');
  const productName = child(hsi, 'SPN')?.text;
  const uuid = child(hsi, 'cUUID')?.text;
  if (root.tag !== 'RIMP' || productName === undefined || uuid === undefined) {
    throw fail('the /xmldata answer has no RIMP/HSI/SPN and cUUID');
  }
  return { productName, uuid };
}

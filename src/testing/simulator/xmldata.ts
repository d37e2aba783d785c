import { esc } from './ribcl/xml.js';
import type { SimulatedServer } from './server.js';

/** The unauthenticated `/xmldata?item=all` document (`RIMP`), as iLO 3 and 4 serve it. */
export function xmlData(server: SimulatedServer): string {
  const p = server.personality;
  const iloNumber = p.iloName.replace('iLO ', '');
  const tag = (name: string, value: string | number) => `<${name}>${esc(value)}</${name}>`;
  return [
    '<RIMP>',
    '<HSI>',
    tag('SBSN', server.serialNumber.padEnd(16)),
    tag('SPN', server.productName),
    tag('UUID', server.serialNumber),
    tag('SP', 1),
    tag('cUUID', server.uuid),
    '<VIRTUAL>',
    tag('STATE', 'Inactive'),
    '<VID>',
    '<BSN></BSN>',
    '<cUUID></cUUID>',
    '</VID>',
    '</VIRTUAL>',
    '</HSI>',
    '<MP>',
    tag('ST', 1),
    tag('PN', `Integrated Lights-Out ${iloNumber} (${p.iloName})`),
    tag('FWRI', p.iloFirmware.version),
    tag('BBLK', '03/05/2013'),
    tag('HWRI', 'ASIC: 16'),
    tag('SN', `ILO${server.serialNumber}`.padEnd(19)),
    tag('UUID', `ILO${server.serialNumber}`),
    tag('IPM', 1),
    tag('SSO', 0),
    tag('PWRM', '3.3'),
    '</MP>',
    '</RIMP>',
    '',
  ].join('\n');
}

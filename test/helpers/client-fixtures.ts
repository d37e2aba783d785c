import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Recorded iLO outputs (see test/fixtures/client/extract.py). */
export const FIXTURES = resolve(__dirname, '../fixtures/client');

/** A multi-document RIBCL reply recorded by proliantutils' tests. */
export function ribclSample(name: string): string {
  return readFileSync(join(FIXTURES, 'proliantutils/ribcl', `${name}.xml`), 'utf8');
}

/** Names of every RIBCL reply sample. */
export function ribclSampleNames(): string[] {
  return readdirSync(join(FIXTURES, 'proliantutils/ribcl'))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.slice(0, -4));
}

/** A JSON sample (RIS body, or embedded health proliantutils keeps as a dict). */
export function jsonSample<T = Record<string, unknown>>(kind: 'ris' | 'ribcl', name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, 'proliantutils', kind, `${name}.json`), 'utf8')) as T;
}

/** python-hpilo's parsed output of a real BL460c Gen8 / iLO 4 2.10. */
export function hpiloGen8<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, 'hpilo-gen8', `${name}.json`), 'utf8')) as T;
}

const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * Rebuilds XML from proliantutils' dict form of a RIBCL element: string values are attributes,
 * objects are child elements, arrays repeated child elements, `text` the element's text.
 */
export function xmlFromDict(tag: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => xmlFromDict(tag, v)).join('\n');
  const obj = (value ?? {}) as Record<string, unknown>;
  const attrs = Object.entries(obj)
    .filter(([k, v]) => typeof v === 'string' && k !== 'text')
    .map(([k, v]) => ` ${k}="${escapeXml(v as string)}"`)
    .join('');
  const children = Object.entries(obj)
    .filter(([, v]) => typeof v === 'object' && v !== null)
    .map(([k, v]) => xmlFromDict(k, v));
  const text = typeof obj.text === 'string' ? escapeXml(obj.text) : '';
  if (children.length === 0 && text === '') return `<${tag}${attrs}/>`;
  return `<${tag}${attrs}>${text}\n${children.join('\n')}\n</${tag}>`;
}

/** The XML of a proliantutils embedded-health dict (`{ GET_EMBEDDED_HEALTH_DATA: … }`). */
export function healthXml(name: string): string {
  const data = jsonSample('ribcl', name);
  return xmlFromDict('GET_EMBEDDED_HEALTH_DATA', data.GET_EMBEDDED_HEALTH_DATA);
}

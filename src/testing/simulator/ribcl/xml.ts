import { XMLParser } from 'fast-xml-parser';

/** A request element as the simulated iLO reads it: attribute names lower-cased (iLOs ignore case). */
export interface RequestElement {
  tag: string;
  /** Attributes by lower-case name. */
  attrs: Record<string, string>;
  /** Attribute names as the client wrote them, for the command log. */
  rawNames: Record<string, string>;
  children: RequestElement[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 32,
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes entities; a bare `&` stays as it is (python-hpilo does not escape passwords). */
function decode(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

type Node = Record<string, unknown>;

function convert(node: Node): RequestElement | undefined {
  const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (tag === undefined) return undefined;
  const attrs: Record<string, string> = {};
  const rawNames: Record<string, string> = {};
  for (const [name, value] of Object.entries((node[':@'] ?? {}) as Record<string, unknown>)) {
    attrs[name.toLowerCase()] = decode(String(value));
    rawNames[name.toLowerCase()] = name;
  }
  const children = ((node[tag] ?? []) as Node[])
    .map(convert)
    .filter((c): c is RequestElement => c !== undefined);
  return { tag: tag.toUpperCase(), attrs, rawNames, children };
}

/** Parses a RIBCL script leniently (declaration or not, any attribute case); `undefined` if not XML. */
export function parseRequest(body: string): RequestElement | undefined {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return undefined;
  try {
    const roots = (parser.parse(body) as Node[]).map(convert).filter((e) => e !== undefined);
    return roots.length === 1 ? roots[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Escapes text for a double-quoted attribute or element content. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `<TAG A="v"/>`, or with children. */
export function el(
  tag: string,
  attrs: Record<string, string | number> = {},
  children: string[] = [],
): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return children.length === 0 ? `<${tag}${a}/>` : `<${tag}${a}>\n${children.join('\n')}\n</${tag}>`;
}

/** `<TAG VALUE="v"/>`, the shape of most RIBCL fields. */
export const field = (tag: string, value: string | number, unit?: string): string =>
  el(tag, unit === undefined ? { VALUE: value } : { VALUE: value, UNIT: unit });

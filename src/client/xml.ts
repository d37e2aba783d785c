import { XMLParser } from 'fast-xml-parser';

/** One element of an XML document the iLO sent, with attribute names as written. */
export interface XmlElement {
  /** Tag name, as written (RIBCL tags are upper case). */
  readonly tag: string;
  /** Attributes by name, values decoded. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements in document order. */
  readonly children: readonly XmlElement[];
  /** The element's own text (entity-decoded, trimmed), `''` when none. */
  readonly text: string;
}

/** Thrown for input that is not a well-formed, plain XML document. */
export class XmlSyntaxError extends Error {}

// iLOs never send a DTD; refusing one outright is what keeps entity expansion (billion laughs,
// external entities) out, whatever the parser would do with it.
const DTD = /<!DOCTYPE|<!ENTITY/i;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and character references, once (`&amp;lt;` stays `&lt;`). */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, name: string | undefined, dec?: string, hex?: string) => {
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by decodeXmlText, in one pass: the parser's own expansion stays off.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 64,
});

type OrderedNode = Record<string, unknown>;

function toElement(node: OrderedNode): XmlElement | undefined {
  const tag = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (tag === undefined) return undefined;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawAttrs)) attrs[name] = decodeXmlText(String(value));
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] ?? []) as OrderedNode[]) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child);
      if (element !== undefined) children.push(element);
    }
  }
  return { tag, attrs, children, text: decodeXmlText(text).trim() };
}

/**
 * Parses one XML document into an element tree. Refuses DTDs and anything that does not have
 * exactly one root element; nesting is bounded.
 */
export function parseXml(text: string): XmlElement {
  if (DTD.test(text)) throw new XmlSyntaxError('a DTD is not allowed');
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (error) {
    throw new XmlSyntaxError(error instanceof Error ? error.message : String(error));
  }
  const roots = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined);
  const stray = nodes.some((n) => '#text' in n && String(n['#text']).trim() !== '');
  if (roots.length !== 1 || stray) throw new XmlSyntaxError('expected exactly one root element');
  return roots[0]!;
}

/** The attribute `name`, matched case-insensitively (iLOs write `VALUE` and `value`). */
export function attr(element: XmlElement | undefined, name: string): string | undefined {
  if (element === undefined) return undefined;
  const direct = element.attrs[name];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(element.attrs)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The first child named `tag`. */
export function child(element: XmlElement | undefined, tag: string): XmlElement | undefined {
  return element?.children.find((c) => c.tag === tag);
}

/** Every child named `tag`. */
export function childrenNamed(element: XmlElement | undefined, tag: string): XmlElement[] {
  return element === undefined ? [] : element.children.filter((c) => c.tag === tag);
}

/** The `VALUE` attribute of the child `tag` (the shape of most RIBCL fields). */
export function fieldValue(element: XmlElement | undefined, tag: string): string | undefined {
  return attr(child(element, tag), 'VALUE');
}

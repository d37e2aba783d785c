import { attr, parseXml, type XmlElement, XmlSyntaxError } from '../xml.js';

/** What a RIBCL reply held when every status was `0x0000`. */
export interface RibclSuccess {
  /** Discriminant. */
  readonly ok: true;
  /** Payload elements (anything but `RESPONSE` and `INFORM`), in order. */
  readonly payloads: readonly XmlElement[];
  /** Informational messages: status `0x0000` with a message other than `No error`. */
  readonly messages: readonly string[];
  /** `INFORM` texts, for example `Integrated Lights-Out will reset at the end of the script.` */
  readonly informs: readonly string[];
}

/** The first non-zero `STATUS` of a reply; documents after it are ignored, as the iLO stops there. */
export interface RibclFailure {
  /** Discriminant. */
  readonly ok: false;
  /** The status as a number, for example `0x005f`. */
  readonly status: number;
  /** The status as the iLO wrote it, for example `'0x005F'`. */
  readonly statusText: string;
  /** The iLO's message, for example `'Login failed.'`. */
  readonly message: string;
  /** Informational messages seen before the failure. */
  readonly messages: readonly string[];
  /** `INFORM` texts seen before the failure. */
  readonly informs: readonly string[];
}

/** A parsed RIBCL reply. */
export type RibclReply = RibclSuccess | RibclFailure;

/** Thrown when a reply is not a stream of RIBCL documents. */
export class RibclProtocolError extends Error {}

/** Splits the reply at each XML declaration: an iLO sends one complete document per step. */
function splitDocuments(text: string): string[] {
  const starts: number[] = [];
  for (let i = text.indexOf('<?xml'); i !== -1; i = text.indexOf('<?xml', i + 5)) starts.push(i);
  if (starts.length === 0) return text.trim() === '' ? [] : [text];
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length).trim());
}

/**
 * Parses the stream of concatenated RIBCL documents an iLO answers with. Stops at the first
 * non-zero `STATUS` (the iLO skips the rest of the script there), keeps informational messages and
 * `INFORM` text, and returns the payload elements.
 *
 * @throws RibclProtocolError when the text is not RIBCL.
 */
export function parseRibclResponse(text: string): RibclReply {
  const payloads: XmlElement[] = [];
  const messages: string[] = [];
  const informs: string[] = [];
  const documents = splitDocuments(text);
  if (documents.length === 0) throw new RibclProtocolError('the reply is empty');
  for (const document of documents) {
    let root: XmlElement;
    try {
      root = parseXml(document);
    } catch (error) {
      if (error instanceof XmlSyntaxError) throw new RibclProtocolError(`malformed XML: ${error.message}`);
      throw error;
    }
    if (root.tag !== 'RIBCL') throw new RibclProtocolError(`unexpected root element ${root.tag}`);
    for (const element of root.children) {
      if (element.tag === 'RESPONSE') {
        const statusText = attr(element, 'STATUS') ?? '';
        const status = Number.parseInt(statusText, 16);
        if (!/^0x[0-9a-f]+$/i.test(statusText) || Number.isNaN(status))
          throw new RibclProtocolError(`RESPONSE without a valid STATUS (${JSON.stringify(statusText)})`);
        const message = attr(element, 'MESSAGE') ?? '';
        if (status !== 0) return { ok: false, status, statusText, message, messages, informs };
        if (message !== '' && message !== 'No error') messages.push(message);
      } else if (element.tag === 'INFORM') {
        informs.push(element.text);
      } else {
        payloads.push(element);
      }
    }
  }
  return { ok: true, payloads, messages, informs };
}

/** A RIBCL command element: tag, attributes (in order) and child commands. */
export interface RibclCommand {
  /** Tag name, for example `GET_HOST_POWER_STATUS`. */
  tag: string;
  /** Attributes in the order they are written. */
  attrs?: ReadonlyArray<readonly [string, string]>;
  /** Child elements, for example `VM_BOOT_OPTION` under `SET_VM_STATUS`. */
  children?: readonly RibclCommand[];
}

/** The RIBCL block a command belongs to. */
export type RibclBlock = 'SERVER_INFO' | 'RIB_INFO' | 'USER_INFO';

/** Escapes a value for a double-quoted XML attribute (also CR, LF and TAB, which XML would normalise). */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"'\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// XML 1.0 cannot carry these at all, escaped or not; an iLO would reject the whole script.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Whether a string can be carried in an XML attribute. */
export function isXmlSafe(value: string): boolean {
  return !NOT_XML.test(value);
}

function render(command: RibclCommand): string {
  const attrs = (command.attrs ?? []).map(([k, v]) => ` ${k}="${escapeXmlAttribute(v)}"`).join('');
  const children = command.children ?? [];
  if (children.length === 0) return `<${command.tag}${attrs}/>`;
  return `<${command.tag}${attrs}>${children.map(render).join('')}</${command.tag}>`;
}

/**
 * Builds the RIBCL script for one command, or several run in order in the same block: `RIBCL` →
 * `LOGIN` → the block (`MODE="read"` or `"write"`) → the commands. The password is escaped like
 * every other attribute (the form proliantutils sends); the result holds it, so it is never logged.
 */
export function buildRibclRequest(
  login: { username: string; password: string },
  block: RibclBlock,
  mode: 'read' | 'write',
  commands: RibclCommand | readonly RibclCommand[],
): string {
  const list = Array.isArray(commands) ? commands : [commands as RibclCommand];
  return (
    `<RIBCL VERSION="2.0"><LOGIN USER_LOGIN="${escapeXmlAttribute(login.username)}" ` +
    `PASSWORD="${escapeXmlAttribute(login.password)}"><${block} MODE="${mode}">` +
    `${list.map(render).join('')}</${block}></LOGIN></RIBCL>\r\n`
  );
}

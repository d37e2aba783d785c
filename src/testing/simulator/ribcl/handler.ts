import type { CommandLogEntry, FaultInjector } from '../faults.js';
import type { SimulatedServer } from '../server.js';
import { COMMANDS, type CommandResult } from './commands.js';
import { parseRequest, type RequestElement } from './xml.js';

/** What the RIBCL endpoint needs from its simulated iLO. */
export interface RibclEnvironment {
  server: SimulatedServer;
  faults: FaultInjector;
  log: (entry: CommandLogEntry) => void;
  requestIloReset: () => void;
}

const SECRET_ATTRIBUTES = new Set(['password', 'key']);

/** One reply document, written the way iLO firmware writes them (single-quoted MESSAGE, CRLF after the declaration). */
function documentOf(version: string, status = '0x0000', message = 'No error', extra?: string): string {
  const quoted = message.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
  return (
    `<?xml version="1.0"?>\r\n<RIBCL VERSION="${version}">\n<RESPONSE\n    STATUS="${status}"\n` +
    `    MESSAGE='${quoted}'\n     />\n${extra === undefined ? '' : `${extra}\n`}</RIBCL>\n`
  );
}

function loggedAttributes(cmd: RequestElement): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (e: RequestElement, prefix: string) => {
    for (const [name, value] of Object.entries(e.attrs)) {
      const raw = e.rawNames[name] ?? name;
      out[`${prefix}${raw}`] = SECRET_ATTRIBUTES.has(name) ? '***' : value;
    }
    for (const c of e.children) visit(c, `${c.tag}.`);
  };
  visit(cmd, '');
  return out;
}

/**
 * Answers one RIBCL script: a few `No error` documents, one document per command (payload,
 * message or INFORM), trailing `No error` documents — and nothing after the first failure, as an
 * iLO stops there.
 */
export function answerRibcl(body: string, env: RibclEnvironment): string {
  const version = env.server.personality.ribclVersion;
  const docs = [documentOf(version)];
  const root = parseRequest(body);
  if (root === undefined || root.tag !== 'RIBCL') {
    env.log({ at: Date.now(), channel: 'ribcl', command: '(unparsable script)', outcome: '0x0001' });
    return (
      docs.join('') +
      documentOf(version, '0x0001', 'Syntax error: Line #0: syntax error near "" in the line: ""')
    );
  }
  const login = root.children.find((c) => c.tag === 'LOGIN');
  if (login === undefined) {
    // python-hpilo probes the protocol with an empty script.
    const inform = '<INFORM>Scripting utility should be updated to the latest version.</INFORM>';
    env.log({ at: Date.now(), channel: 'ribcl', command: '(empty script)', outcome: 'ok' });
    return docs.join('') + documentOf(version, '0x0000', 'No error', inform);
  }
  const username = login.attrs.user_login ?? '';
  const user = env.server.authenticate(username, login.attrs.password ?? '');
  const commands = login.children.flatMap((block) => block.children.map((cmd) => ({ block, cmd })));
  if (user === undefined) {
    for (const { block, cmd } of commands) {
      env.log({
        at: Date.now(),
        channel: 'ribcl',
        command: cmd.tag,
        mode: block.attrs.mode ?? '',
        user: username,
        outcome: '0x005F',
      });
    }
    return docs.join('') + documentOf(version, '0x005F', 'Login failed.');
  }
  docs.push(documentOf(version));
  for (const block of login.children) {
    const handlers = COMMANDS[block.tag];
    docs.push(documentOf(version));
    for (const cmd of block.children) {
      const entry: CommandLogEntry = {
        at: Date.now(),
        channel: 'ribcl',
        command: cmd.tag,
        mode: (block.attrs.mode ?? '').toLowerCase(),
        user: user.login,
        attributes: loggedAttributes(cmd),
        outcome: 'ok',
      };
      const injected = env.faults.takeFailure(cmd.tag);
      const handler = handlers?.[cmd.tag];
      let result: CommandResult;
      if (injected !== undefined) {
        result = {
          ok: false,
          status: injected.status ?? '0x0001',
          message: injected.message ?? 'Internal error',
        };
      } else if (handler === undefined) {
        result = { ok: false, status: '0x0001', message: `Error: Line #1: syntax error near "${cmd.tag}".` };
      } else {
        result = handler({ server: env.server, user, requestIloReset: env.requestIloReset }, cmd);
      }
      if (!result.ok) {
        entry.outcome = result.status;
        env.log(entry);
        docs.push(documentOf(version, result.status, result.message));
        return docs.join('');
      }
      env.log(entry);
      const extra =
        result.payload ?? (result.inform === undefined ? undefined : `<INFORM>${result.inform}</INFORM>`);
      docs.push(documentOf(version, '0x0000', result.message ?? 'No error', extra));
    }
  }
  // The block and the LOGIN element close with a document each.
  docs.push(documentOf(version), documentOf(version));
  return docs.join('');
}

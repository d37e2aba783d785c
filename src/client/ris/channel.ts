import type { OperationOptions } from '../../contracts/index.js';
import {
  IloCommandNotSupported,
  type IloError,
  IloLoginFailed,
  IloOperationError,
} from '../../errors/index.js';
import { redact } from '../../util/index.js';
import type { Credentials } from '../ribcl/channel.js';
import type { IloTransport } from '../transport/http.js';

/** A JSON object as RIS sends it. */
export type RisObject = { [key: string]: unknown };

/** A RIS answer: the body and the headers proliantutils looks at (`allow`). */
export interface RisResult {
  /** Parsed JSON body (`{}` when empty). */
  body: RisObject;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

function extendedErrorIds(body: unknown): string[] {
  const messages = (body as { Messages?: unknown } | null)?.Messages;
  if (!Array.isArray(messages)) return [];
  return messages
    .map((m) => (m as { MessageID?: unknown }).MessageID)
    .filter((id): id is string => typeof id === 'string');
}

/** Maps a RIS error answer: 401 is a login failure, a missing resource a missing feature. */
function risError(method: string, path: string, status: number, body: unknown, secrets: string[]): IloError {
  const ids = extendedErrorIds(body);
  const detail = redact(`HTTP ${status}${ids.length > 0 ? ` ${ids.join(', ')}` : ''}`, secrets);
  if (status === 401) return new IloLoginFailed(`iLO login failed (${detail})`);
  if (status === 404 || status === 405 || status === 501) {
    return new IloCommandNotSupported(`${method} ${path} is not supported by this iLO (${detail})`);
  }
  return new IloOperationError({ operation: `iLO ${method} ${path}`, error: detail, status: String(status) });
}

/** JSON over HTTPS to `/rest/v1`, with HTTP Basic authentication on every request (iLO 4 RIS). */
export class RisChannel {
  constructor(
    private readonly transport: IloTransport,
    private readonly credentials: Credentials,
    private readonly secrets: () => string[],
  ) {}

  private async call(method: 'GET' | 'PATCH' | 'POST', path: string, body: unknown, o: OperationOptions) {
    const token = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
    const res = await this.transport.request({
      method,
      path,
      headers: {
        authorization: `Basic ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      idempotent: method === 'GET',
      operation: `RIS ${method} ${path}`,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
    let parsed: unknown = {};
    if (res.body.trim() !== '') {
      try {
        parsed = JSON.parse(res.body);
      } catch {
        if (res.status < 300) {
          throw new IloOperationError({
            operation: `iLO ${method} ${path}`,
            error: 'the answer is not JSON',
          });
        }
      }
    }
    if (res.status >= 300) throw risError(method, path, res.status, parsed, this.secrets());
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new IloOperationError({
        operation: `iLO ${method} ${path}`,
        error: 'the answer is not a JSON object',
      });
    }
    return { body: parsed as RisObject, headers: res.headers };
  }

  /** `GET path`. */
  get(path: string, o: OperationOptions): Promise<RisResult> {
    return this.call('GET', path, undefined, o);
  }

  /** `PATCH path` with a JSON body. */
  patch(path: string, body: unknown, o: OperationOptions): Promise<RisResult> {
    return this.call('PATCH', path, body, o);
  }

  /** `POST path` with a JSON body. */
  post(path: string, body: unknown, o: OperationOptions): Promise<RisResult> {
    return this.call('POST', path, body, o);
  }

  /** The members of a collection (inline `Items`, else each `links.Member` fetched), with their URIs. */
  async members(path: string, o: OperationOptions): Promise<Array<{ uri: string; body: RisObject }>> {
    const { body } = await this.get(path, o);
    if (Array.isArray(body.Items)) {
      return (body.Items as RisObject[]).map((item) => ({ uri: hrefOf(item, 'self') ?? path, body: item }));
    }
    const links = (body.links as { Member?: Array<{ href?: unknown }> } | undefined)?.Member ?? [];
    const out: Array<{ uri: string; body: RisObject }> = [];
    for (const link of links) {
      if (typeof link.href !== 'string') continue;
      out.push({ uri: link.href, body: (await this.get(link.href, o)).body });
    }
    return out;
  }
}

/** `obj.links[name].href`, RIS's way of linking resources. */
export function hrefOf(obj: unknown, name: string): string | undefined {
  const href = (obj as { links?: Record<string, { href?: unknown }> } | null)?.links?.[name]?.href;
  return typeof href === 'string' ? href : undefined;
}

/** Whether the `allow` header permits `method`. */
export function allows(headers: Record<string, string>, method: string): boolean {
  return (headers.allow ?? '')
    .split(',')
    .map((m) => m.trim().toUpperCase())
    .includes(method);
}

import type { z } from 'zod';
import type { Logger } from '../contracts/index.js';
import type { FieldIssue } from '../errors/index.js';
import { InvalidParameterValue } from '../errors/index.js';
import { parseIni } from './ini.js';
import { describeIssues, dottedPath, fieldIssuesOf } from './issues.js';
import { type IloConfig, type IloConfigInput, type IloConfigSection, iloConfigSchema } from './schema.js';

/**
 * Validates a camel-cased configuration object and fills in ironic.conf's defaults. Every bad
 * option is reported in one {@link InvalidParameterValue}.
 *
 * @example
 * ```ts
 * const config = parseConfig({ ilo: { powerRetry: 3 }, deploy: { httpUrl: 'http://10.0.0.1/' } });
 * ```
 */
export function parseConfig(input: IloConfigInput = {}): IloConfig {
  const result = iloConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldIssuesOf(result.error, dottedPath);
  throw new InvalidParameterValue(`Invalid configuration: ${describeIssues(fields)}`, { fields });
}

/** ironic.conf section name to our section key. */
const SECTIONS: Record<string, IloConfigSection> = {
  ilo: 'ilo',
  deploy: 'deploy',
  glance: 'glance',
  swift: 'swift',
  conductor: 'conductor',
  pxe: 'pxe',
  agent: 'agent',
  DEFAULT: 'default',
};

/** Options that moved section in Ironic; the old spelling is still read, with a warning. */
const DEPRECATED: Record<string, [IloConfigSection, string]> = {
  'pxe.http_url': ['deploy', 'httpUrl'],
  'pxe.http_root': ['deploy', 'httpRoot'],
};

/** Options that may hold secrets: their values never appear in messages. */
const SECRET_OPTIONS = new Set(['swift_temp_url_key']);

/** Options for {@link loadIronicConf}. */
export interface LoadIronicConfOptions {
  /** Receives a warning for each unknown option in a known section. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Reads ironic.conf text. Only `[ilo]`, `[deploy]`, `[glance]`, `[swift]`, `[conductor]`, `[pxe]`,
 * `[agent]` and `[DEFAULT]` are read; other sections are ignored, unknown options in those
 * sections are ignored with a warning, and bad values are rejected all together.
 *
 * @example
 * ```ts
 * const config = loadIronicConf(await readFile('/etc/ironic/ironic.conf', 'utf8'), { logger });
 * ```
 */
export function loadIronicConf(text: string, options: LoadIronicConfOptions = {}): IloConfig {
  const { entries, errors } = parseIni(text);
  const issues: FieldIssue[] = errors.map((e) => ({ field: 'ironic.conf', problem: e }));
  const input: Record<string, Record<string, unknown>> = {};
  const where = new Map<string, string>();

  for (const entry of entries) {
    let section = SECTIONS[entry.section];
    if (section === undefined) continue;
    let key = snakeToCamel(entry.key);
    const moved = DEPRECATED[`${entry.section}.${entry.key}`];
    if (moved) {
      options.logger?.warn(`ironic.conf: [${entry.section}] ${entry.key} is deprecated; use [${moved[0]}]`, {
        line: entry.line,
      });
      [section, key] = moved;
    }
    const schema = iloConfigSchema.shape[section].unwrap().shape as Record<string, z.ZodType>;
    const optionSchema = schema[key];
    const label = `[${entry.section}] ${entry.key}`;
    if (optionSchema === undefined) {
      options.logger?.warn(`ironic.conf: unknown option ${label} ignored`, { line: entry.line });
      continue;
    }
    const coerced = coerceIniValue(optionSchema, entry.value);
    if (!coerced.ok) {
      const shown = SECRET_OPTIONS.has(entry.key) ? '' : ` (got "${entry.value}")`;
      issues.push({ field: label, problem: `${coerced.problem}${shown}` });
      continue;
    }
    if (coerced.value === undefined) continue;
    input[section] ??= {};
    (input[section] as Record<string, unknown>)[key] = coerced.value;
    where.set(`${section}.${key}`, label);
  }

  const result = iloConfigSchema.safeParse(input);
  if (!result.success) {
    issues.push(...fieldIssuesOf(result.error, (path) => where.get(dottedPath(path)) ?? dottedPath(path)));
  }
  if (issues.length > 0 || !result.success) {
    throw new InvalidParameterValue(`Invalid ironic.conf: ${describeIssues(issues)}`, { fields: issues });
  }
  return result.data;
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

/** Converts an INI string to the type the option's schema expects. An empty value means unset. */
function coerceIniValue(schema: z.ZodType, raw: string): Coerced {
  let inner = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType } };
  while (inner.def.innerType !== undefined) inner = inner.def.innerType as typeof inner;
  if (raw === '' && inner.def.type !== 'string') return { ok: true, value: undefined };
  switch (inner.def.type) {
    case 'number': {
      const octal = /^0[0-7]+$/.test(raw);
      if (!octal && !/^-?\d+(\.\d+)?$/.test(raw)) return { ok: false, problem: 'must be a number' };
      return { ok: true, value: octal ? Number.parseInt(raw, 8) : Number(raw) };
    }
    case 'boolean': {
      const v = raw.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return { ok: true, value: true };
      if (['false', 'no', 'off', '0'].includes(v)) return { ok: true, value: false };
      return { ok: false, problem: 'must be a boolean (true or false)' };
    }
    case 'array':
      return {
        ok: true,
        value: raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
      };
    default:
      return { ok: true, value: raw };
  }
}

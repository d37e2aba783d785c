import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** What a suite needs from the machine. */
export interface PeerRequirements {
  /** Executables that must be on PATH (or in /usr/sbin, /sbin). */
  commands?: readonly string[];
  /** Files that must exist. */
  files?: readonly string[];
  /** Any other check: returns why the peer is unusable, or undefined. */
  check?: () => string | undefined;
}

/** Whether `REQUIRE_PEERS=1`: CI sets it so that a missing peer fails instead of skipping. */
export const peersRequired = process.env.REQUIRE_PEERS === '1';

/** Finds an executable on PATH, /usr/sbin or /sbin. */
export function findCommand(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin'];
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  return undefined;
}

/** Why the requirements are not met, or undefined when they are. */
export function missingPeers(req: PeerRequirements): string | undefined {
  const missing = [
    ...(req.commands ?? []).filter((c) => findCommand(c) === undefined).map((c) => `command ${c}`),
    ...(req.files ?? []).filter((f) => !existsSync(f)).map((f) => `file ${f}`),
  ];
  const other = req.check?.();
  if (other !== undefined) missing.push(other);
  return missing.length > 0 ? `missing ${missing.join(', ')} (run \`npm run peers\` as root)` : undefined;
}

/**
 * `describe` for a suite that needs real peers. When they are missing the suite is reported
 * skipped with the reason — or, under `REQUIRE_PEERS=1`, fails with it.
 *
 * @example
 * const withSwift = describeWithPeers('swift', { commands: ['swift-proxy-server'] });
 * withSwift('SwiftStore against a real Swift', () => { ... });
 */
export function describeWithPeers(name: string, req: PeerRequirements) {
  const reason = missingPeers(req);
  return (title: string, body: () => void): void => {
    if (reason === undefined) {
      describe(title, body);
    } else if (peersRequired) {
      describe(title, () => {
        it(`needs peer ${name}`, () => {
          throw new Error(`REQUIRE_PEERS=1 and peer ${name} is unusable: ${reason}`);
        });
      });
    } else {
      // Skipped on purpose, with the reason in the title: this suite runs wherever the peer is
      // installed (scripts/peers.sh), and always in CI, where REQUIRE_PEERS=1.
      describe.skip(`${title} [skipped: ${name} ${reason}]`, body);
    }
  };
}

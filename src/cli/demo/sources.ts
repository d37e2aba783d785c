/**
 * Steps read from what the simulated parts recorded: the iLO's command log, the media the iLO
 * fetched, the server's boots, the commands the ramdisk's API received.
 */
import type { FakeAgent, MediaSlot, SimulatedIlo } from '../../testing/index.js';
import { iloStep, type MediaNamer } from './ilo-steps.js';
import type { LoggedStep, StepSource } from './timeline.js';

/** The iLO commands that changed something, from the simulator's command log. */
export function iloCommands(ilo: SimulatedIlo, name: MediaNamer): StepSource & { reads(): number } {
  let next = ilo.log.length;
  let reads = 0;
  const source = (): LoggedStep[] => {
    const steps: LoggedStep[] = [];
    for (const entry of ilo.log.slice(next)) {
      const text = iloStep(entry, name);
      if (text === undefined) reads++;
      else steps.push({ at: entry.at, from: 'Conductor', to: 'iLO', text });
    }
    next = ilo.log.length;
    return steps;
  };
  return Object.assign(source, { reads: () => reads });
}

/** What the iLO fetched for its virtual floppy and CD (HEAD, then GET, as an iLO does). */
export function mediaFetches(ilo: SimulatedIlo, name: MediaNamer): StepSource {
  const seen = new Map<MediaSlot, number>([
    [ilo.server.floppy, ilo.server.floppy.fetches.length],
    [ilo.server.cdrom, ilo.server.cdrom.fetches.length],
  ]);
  return () => {
    const steps: LoggedStep[] = [];
    for (const [slot, count] of seen) {
      const device = slot === ilo.server.floppy ? 'floppy' : 'cdrom';
      for (const fetch of slot.fetches.slice(count)) {
        const outcome =
          fetch.error === null
            ? `HEAD ${fetch.headStatus}, GET ${fetch.status}, ${fetch.bytes} bytes`
            : `failed: ${fetch.error}`;
        steps.push({
          at: fetch.finishedAt ?? Date.now(),
          from: 'iLO',
          to: 'WebServer',
          text: `Fetches ${name(fetch.url, device)} (${outcome})`,
        });
      }
      seen.set(slot, slot.fetches.length);
    }
    return steps;
  };
}

/** The commands the ramdisk's API ran, as the conductor sent them. */
export function agentCommands(agent: FakeAgent): StepSource {
  let next = agent.requests.length;
  return () => {
    const steps: LoggedStep[] = [];
    for (const request of agent.requests.slice(next)) {
      if (request.command === undefined) continue;
      steps.push({
        at: request.at,
        from: 'Conductor',
        to: 'Ramdisk',
        text: `Runs ${request.command} through the agent API (HTTP ${request.status})`,
      });
    }
    next = agent.requests.length;
    return steps;
  };
}

/** Every boot of the simulated server, and what it booted. */
export function serverBoots(ilo: SimulatedIlo, name: MediaNamer): StepSource {
  let next = ilo.server.boots.length;
  return () => {
    const steps = ilo.server.boots.slice(next).map((boot): LoggedStep => {
      const media = boot.mediaUrl == null ? '' : `: ${name(boot.mediaUrl, 'cdrom')}`;
      const source =
        boot.source === 'CDROM' ? 'the virtual CD' : boot.source === 'HDD' ? 'its disk' : boot.source;
      return {
        at: boot.at,
        from: 'Server',
        to: 'Server',
        text: `Boots from ${source} in ${boot.bootMode} mode${media}`,
      };
    });
    next = ilo.server.boots.length;
    return steps;
  };
}

/**
 * How the demo's events are shown: a readable timeline (with a progress line on a TTY), or one
 * JSON object per line.
 */
import type { DemoEvent, DemoProgress, DemoSummaryEvent } from './events.js';
import type { TimelineSink } from './timeline.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(3).padStart(7)}s`;
const short = (uuid: string) => uuid.slice(0, 8);

/** One JSON object per event; progress is never printed. */
export function jsonSink(out: NodeJS.WritableStream): TimelineSink {
  return {
    event: (event) => out.write(`${JSON.stringify(event)}\n`),
    progress: () => {},
  };
}

function summaryLines(s: DemoSummaryEvent): string[] {
  const rows: Array<[string, string]> = [
    [
      'Server',
      `${s.model}, ${s.iloCommands.writes} iLO commands that changed something, ${s.iloCommands.reads} reads`,
    ],
    [
      'Inspected',
      Object.entries(s.properties)
        .map(([k, v]) =>
          k === 'capabilities' || k === 'ports' ? `${v.split(',').length} ${k}` : `${k}=${v}`,
        )
        .join(', '),
    ],
    ['Cleaned', s.cleanSteps.join(', ') || 'no step enabled'],
    ...s.deployments.map((d): [string, string] => [
      `Deployed (${d.driver})`,
      `node ${short(d.node)}: ${d.image}, ${d.bootOption === 'local' ? 'local boot' : 'netboot'}, ${d.bootMode}, root UUID ${d.rootUuid}; written by ${d.writtenBy}${
        d.bootIso === undefined ? '' : `; booted from ${d.bootIso}`
      }`,
    ]),
    ['Published', s.published.join(', ') || 'nothing'],
    ['Removed', s.removed.join(', ') || 'nothing'],
    [
      'Left behind',
      s.leftInStore.length === 0 && s.temporaryDirectoryRemoved
        ? 'nothing: the store is empty, every server stopped, the temporary directory removed'
        : `in the store: ${s.leftInStore.join(', ') || 'nothing'}; temporary directory removed: ${s.temporaryDirectoryRemoved}`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    `Done in ${(s.durationMs / 1000).toFixed(1)} s.`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ];
}

function eventLines(event: DemoEvent): string[] {
  switch (event.type) {
    case 'phase':
      return ['', `${seconds(event.atMs)}  ── ${event.title}`];
    case 'step': {
      const who = event.from === event.to ? event.from : `${event.from} → ${event.to}`;
      return [`${seconds(event.atMs)}  ${who}: ${event.text}`];
    }
    case 'state':
      return [
        `${seconds(event.atMs)}  Conductor: node ${short(event.node)} ${event.from} → ${event.to} (${event.event})`,
      ];
    case 'result': {
      const width = Math.max(...Object.keys(event.values).map((k) => k.length));
      return Object.entries(event.values).map(([k, v]) => `${' '.repeat(10)}  ${k.padEnd(width)}  ${v}`);
    }
    case 'summary':
      return ['', ...summaryLines(event)];
  }
}

function progressLine(p: DemoProgress): string {
  const mib = (n: number) => (n / 2 ** 20).toFixed(1);
  const of =
    p.totalBytes === undefined
      ? ''
      : ` / ${mib(p.totalBytes)} MiB (${Math.floor((100 * p.doneBytes) / p.totalBytes)}%)`;
  return `${' '.repeat(10)}  … ${p.label}: ${mib(p.doneBytes)} MiB${of}`;
}

/** The readable timeline; `tty` adds a progress line, rewritten in place. */
export function humanSink(out: NodeJS.WritableStream, tty: boolean): TimelineSink {
  let showing = false;
  const clear = () => {
    if (showing) out.write('\r\x1b[2K');
    showing = false;
  };
  return {
    event(event) {
      clear();
      for (const line of eventLines(event)) out.write(`${line}\n`);
    },
    progress(progress) {
      if (!tty) return;
      clear();
      if (progress === undefined) return;
      out.write(progressLine(progress));
      showing = true;
    },
  };
}

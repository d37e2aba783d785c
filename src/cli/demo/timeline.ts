/**
 * The demo's timeline: steps reported as they happen (hooks of the conductor, the store, the
 * ramdisk) merged with steps read from logs (the simulated iLO's command log, the media it
 * fetched, the commands the agent received), in time order. Every event goes through `redact()`
 * with the secrets known so far before it reaches the sink.
 */
import { redact } from '../../index.js';
import type { DemoActor, DemoEvent, DemoPhase, DemoProgress } from './events.js';

/** Where events go: the human or the JSON renderer. */
export interface TimelineSink {
  event(event: DemoEvent): void;
  /** A transfer's progress; `undefined` when it ended. Only TTY renderers show it. */
  progress(progress: DemoProgress | undefined): void;
}

/** A step found in a log, with when it happened (`Date.now()` clock). */
export interface LoggedStep {
  at: number;
  from: DemoActor;
  to: DemoActor;
  text: string;
}

/** Returns the steps logged since it was last called. */
export type StepSource = () => LoggedStep[];

/** Events without their time and phase, which the timeline fills in. */
type Untimed<E> = E extends DemoEvent ? Omit<E, 'atMs' | 'phase'> : never;

export class Timeline {
  readonly startedAt = Date.now();
  private current: DemoPhase = 'setup';
  private readonly sources: StepSource[] = [];
  private readonly secrets = new Set<string>();
  private poller: NodeJS.Timeout | undefined;
  /** Logs are read a little after they are written: times never go backwards on screen. */
  private lastAtMs = 0;

  constructor(private readonly sink: TimelineSink) {}

  get phase(): DemoPhase {
    return this.current;
  }

  /** Milliseconds since the start. */
  elapsed(at = Date.now()): number {
    return at - this.startedAt;
  }

  /** Values never to print (passwords, tokens, deploy keys), as soon as they are known. */
  addSecret(value: string | undefined): void {
    if (value !== undefined && value !== '') this.secrets.add(value);
  }

  /** Reads a log from now on. */
  watch(source: StepSource): void {
    this.sources.push(source);
  }

  /** Drains the logs now and every `intervalMs` until {@link Timeline.stop}. */
  poll(intervalMs = 50): void {
    this.poller ??= setInterval(() => this.drain(), intervalMs);
    this.poller.unref();
  }

  stop(): void {
    this.drain();
    if (this.poller !== undefined) clearInterval(this.poller);
    this.poller = undefined;
    this.sink.progress(undefined);
  }

  startPhase(phase: DemoPhase, title: string): void {
    this.drain();
    this.current = phase;
    this.emit({ type: 'phase', title }, Date.now());
  }

  /** A step that happens now. */
  step(from: DemoActor, to: DemoActor, text: string): void {
    this.drain();
    this.emit({ type: 'step', from, to, text }, Date.now());
  }

  state(node: string, event: string, from: string, to: string): void {
    this.drain();
    this.emit({ type: 'state', node, event, from, to }, Date.now());
  }

  result(values: Record<string, string>): void {
    this.drain();
    this.emit({ type: 'result', values }, Date.now());
  }

  progress(progress: DemoProgress | undefined): void {
    this.sink.progress(
      progress === undefined ? undefined : { ...progress, label: this.clean(progress.label) },
    );
  }

  /** The closing event (no phase). */
  finish(summary: Untimed<Extract<DemoEvent, { type: 'summary' }>>): void {
    this.stop();
    this.sink.event(this.scrub({ ...summary, atMs: this.elapsed() }));
  }

  /** Removes the known secrets (and secret image suffixes, signatures) from a text. */
  clean(text: string): string {
    return redact(text, [...this.secrets]);
  }

  /** Emits what the logs recorded since the last drain, oldest first. */
  drain(): void {
    const logged = this.sources.flatMap((source) => source()).sort((a, b) => a.at - b.at);
    for (const { at, ...step } of logged) this.emit({ type: 'step', ...step }, at);
  }

  private emit(event: Untimed<DemoEvent>, at: number): void {
    this.lastAtMs = Math.max(this.lastAtMs, this.elapsed(at));
    const timed = { ...event, atMs: this.lastAtMs, phase: this.current } as DemoEvent;
    this.sink.event(this.scrub(timed));
  }

  private scrub<E extends DemoEvent>(event: E): E {
    return JSON.parse(this.clean(JSON.stringify(event))) as E;
  }
}

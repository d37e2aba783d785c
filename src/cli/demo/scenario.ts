/**
 * The demo's scenario: inspection, automated cleaning, an agent_ilo local-boot deploy and its
 * tear-down, an iscsi_ilo netboot deploy and its tear-down, each checked as it ends (a broken
 * invariant stops the demo with a `DemoCheckFailed`). Everything started is stopped, and the
 * temporary directory removed, however it ends.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { PlannedCleanStep } from '../../index.js';
import { parseCapabilities } from '../../index.js';
import type { DemoDeployment, DemoPhase, DemoSummaryEvent } from './events.js';
import type { MediaNamer } from './ilo-steps.js';
import { shownName } from './observed.js';
import { agentCommands, iloCommands, mediaFetches, serverBoots } from './sources.js';
import { Timeline, type TimelineSink } from './timeline.js';
import { DEMO_MODEL, type DemoWorld, startWorld } from './world.js';

/** A check of the demo failed: what was expected, and what was found. */
export class DemoCheckFailed extends Error {
  constructor(phase: DemoPhase, message: string) {
    super(`demo check failed during ${phase}: ${message}`);
    this.name = 'DemoCheckFailed';
  }
}

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the events go. */
  sink: TimelineSink;
  /** Stops the demo (SIGINT); everything is torn down. */
  signal?: AbortSignal;
  /** Called as each phase starts, with the world (tests inject faults through it). */
  beforePhase?: (phase: DemoPhase, world: DemoWorld) => void;
  /** Longest wait for the ramdisk to finish a deploy (default 60 000 ms). */
  deployTimeoutMs?: number;
}

const mediaNamer =
  (world: () => DemoWorld | undefined): MediaNamer =>
  (url, device) => {
    const w = world();
    if (w !== undefined && url === w.imageUrl(w.images.deployIso.name)) return 'the deploy ISO';
    if (device === 'floppy' || /\/image-[^/]*$/.test(url)) return 'the FAT floppy image';
    return /\/boot-[^/]*$/.test(url) ? 'the instance boot ISO' : url;
  };

/** Runs the demo; resolves with its summary (also sent to the sink as the last event). */
export async function runDemo(options: DemoOptions): Promise<DemoSummaryEvent> {
  const timeline = new Timeline(options.sink);
  let world: DemoWorld | undefined;
  const name = mediaNamer(() => world);
  const cleanSteps: PlannedCleanStep[] = [];
  let summary: Omit<DemoSummaryEvent, 'atMs'>;
  try {
    timeline.startPhase(
      'setup',
      `Starting a simulated ${DEMO_MODEL}, a web server, the ramdisk, an iSCSI target`,
    );
    world = await startWorld(
      timeline,
      {
        transition: (node, event, from, to) => timeline.state(node, event, from, to),
        cleanStep: (step) =>
          timeline.step(
            'Conductor',
            'iLO',
            `Clean step ${step.step} (priority ${step.priority}, ${step.interface})`,
          ),
        heartbeat: (_node, outcome) => {
          if (outcome.action !== 'ignored' && outcome.action !== 'deploy-in-progress')
            timeline.step('Ramdisk', 'Conductor', `Heartbeat: ${outcome.action}`);
        },
      },
      options.signal,
    );
    const w = world;
    const ilo = iloCommands(w.ilo, name);
    timeline.watch(ilo);
    timeline.watch(mediaFetches(w.ilo, name));
    timeline.watch(agentCommands(w.agent));
    timeline.watch(serverBoots(w.ilo, name));
    timeline.poll();
    {
      const phase = (p: DemoPhase, title: string) => {
        options.signal?.throwIfAborted();
        timeline.startPhase(p, title);
        options.beforePhase?.(p, w);
        options.signal?.throwIfAborted();
      };
      const task = enrol(w, timeline);
      phase(
        'inspection',
        'Inspection: the iLO reports the hardware; properties, capabilities and ports recorded',
      );
      const properties = await inspect(w, timeline, task.node.uuid);
      phase('cleaning', 'Automated cleaning: the enabled out-of-band clean steps, highest priority first');
      cleanSteps.push(...(await w.conductor.clean(task.node.uuid)));
      timeline.result({ steps: cleanSteps.map((s) => `${s.step} (${s.priority})`).join(', ') });
      const deployTimeoutMs = options.deployTimeoutMs ?? 60_000;
      phase('agent_ilo deploy', 'agent_ilo, local boot: the agent ramdisk writes the partition image itself');
      const agentDeploy = await deploy(w, timeline, task.node.uuid, 'agent_ilo', deployTimeoutMs);
      phase('agent_ilo tear-down', 'agent_ilo tear-down: the node powered off, nothing left in the store');
      await tearDown(w, timeline, task.node.uuid);
      phase(
        'iscsi_ilo deploy',
        'iscsi_ilo, netboot: the conductor writes the image over iSCSI, then boots a boot ISO',
      );
      const iscsiDeploy = await deploy(w, timeline, task.node.uuid, 'iscsi_ilo', deployTimeoutMs);
      phase(
        'iscsi_ilo tear-down',
        'iscsi_ilo tear-down: the boot ISO released and deleted, the media ejected',
      );
      await tearDown(w, timeline, task.node.uuid);
      summary = {
        type: 'summary',
        ok: true,
        model: DEMO_MODEL,
        properties,
        cleanSteps: cleanSteps.map((s) => s.step),
        deployments: [agentDeploy, iscsiDeploy],
        published: w.store.published.map(shownName),
        removed: w.store.removed.map(shownName),
        leftInStore: (await w.store.list()).map((o) => o.name),
        temporaryDirectoryRemoved: false,
        iloCommands: { writes: w.ilo.log.length - ilo.reads(), reads: ilo.reads() },
        durationMs: 0,
      };
    }
  } finally {
    timeline.stop();
    await world?.close();
  }
  // Checked after everything stopped: the demo leaves no file behind.
  if (existsSync(world.dir)) throw new DemoCheckFailed('iscsi_ilo tear-down', `${world.dir} was not removed`);
  const done = { ...summary, temporaryDirectoryRemoved: true, durationMs: timeline.elapsed() };
  timeline.finish(done);
  return { ...done, atMs: done.durationMs };
}

function enrol(w: DemoWorld, timeline: Timeline) {
  // reset_ilo_credential moves ilo_change_password into ilo_password: a new random password.
  const changePassword = randomBytes(12).toString('base64url');
  timeline.addSecret(changePassword);
  const task = w.conductor.enrol({
    driver: 'agent_ilo',
    driverInfo: {
      ilo_address: w.ilo.address,
      client_port: w.ilo.port,
      ilo_username: w.ilo.username,
      ilo_password: w.ilo.password,
      ilo_change_password: changePassword,
      ca_file: w.sim.caFile,
      ilo_deploy_iso: w.imageUrl(w.images.deployIso.name),
    },
    properties: { capabilities: 'boot_mode:uefi' },
  });
  timeline.step(
    'Conductor',
    'Conductor',
    `Enrols node ${task.node.uuid} (agent_ilo, iLO at ${w.ilo.address}:${w.ilo.port})`,
  );
  return task;
}

async function inspect(w: DemoWorld, timeline: Timeline, uuid: string): Promise<Record<string, string>> {
  await w.conductor.inspect(uuid);
  const task = w.conductor.task(uuid);
  const props = task.node.properties;
  const found: Record<string, string> = {};
  for (const key of ['memory_mb', 'local_gb', 'cpus', 'cpu_arch'])
    if (props[key] !== undefined) found[key] = String(props[key]);
  found.capabilities = String(props.capabilities ?? '');
  found.ports = task.ports.map((p) => p.address).join(', ');
  timeline.result(found);
  if (task.node.provisionState !== 'manageable' || task.ports.length === 0 || found.memory_mb === undefined)
    throw new DemoCheckFailed(
      'inspection',
      `expected a manageable node with ports and memory_mb, found ${JSON.stringify(found)}`,
    );
  if (parseCapabilities(found.capabilities).boot_mode !== 'uefi')
    throw new DemoCheckFailed('inspection', 'the operator’s boot_mode:uefi capability was lost');
  // The ramdisk's BOOTIF: the port the node provisions through.
  const first = task.ports[0];
  if (first !== undefined) first.extra = { ...first.extra, vif_port_id: `demo-vif-${first.address}` };
  return found;
}

async function deploy(
  w: DemoWorld,
  timeline: Timeline,
  uuid: string,
  driver: 'agent_ilo' | 'iscsi_ilo',
  timeoutMs: number,
): Promise<DemoDeployment> {
  const task = w.conductor.task(uuid);
  const phase = timeline.phase;
  const bootOption = driver === 'agent_ilo' ? 'local' : 'netboot';
  task.node.driver = driver;
  task.node.instanceInfo = {
    image_source: w.imageUrl(w.images.rootfs.name),
    image_checksum: w.images.rootfs.checksum,
    kernel: w.imageUrl(w.images.kernel.name),
    ramdisk: w.imageUrl(w.images.ramdisk.name),
    root_gb: 1,
    capabilities: { boot_option: bootOption },
  };
  await task.save();
  await w.conductor.deploy(uuid);
  timeline.addSecret(String(task.node.instanceInfo.deploy_key ?? ''));
  timeline.addSecret(String(task.node.driverInternalInfo.agent_secret_token ?? ''));
  await w.conductor.waitFor(uuid, 'active', timeoutMs);
  const rootUuid = String(task.node.driverInternalInfo.root_uuid_or_disk_id ?? '');
  if (rootUuid !== w.images.rootUuid)
    throw new DemoCheckFailed(phase, `root UUID ${rootUuid || 'missing'}, expected ${w.images.rootUuid}`);
  const last = w.ilo.server.boots.at(-1);
  const bootIso = task.node.instanceInfo.ilo_boot_iso;
  if (driver === 'agent_ilo') {
    if (last?.source !== 'HDD')
      throw new DemoCheckFailed(phase, `the server booted ${last?.source}, not its disk`);
    if ((await w.store.list()).length !== 0)
      throw new DemoCheckFailed(phase, 'the floppy is still in the store');
  } else {
    if (typeof bootIso !== 'string' || last?.source !== 'CDROM' || last.mediaUrl !== bootIso)
      throw new DemoCheckFailed(phase, 'the server did not boot the instance boot ISO from the virtual CD');
  }
  const deployment: DemoDeployment = {
    driver,
    node: uuid,
    image: w.images.rootfs.name,
    bootOption,
    bootMode: last?.bootMode ?? 'unknown',
    rootUuid,
    writtenBy:
      driver === 'agent_ilo' ? 'the agent, on its disk' : 'the conductor, over iSCSI (IscsiDiskWriter)',
    ...(typeof bootIso === 'string' ? { bootIso: timeline.clean(bootIso) } : {}),
  };
  timeline.result({
    node: `${uuid}: ${task.node.provisionState}`,
    image: `${deployment.image} (partition image, ${bootOption === 'local' ? 'local boot' : 'netboot'}, ${deployment.bootMode})`,
    'root UUID': rootUuid,
    ...(deployment.bootIso === undefined ? {} : { 'boot ISO': deployment.bootIso }),
  });
  return deployment;
}

async function tearDown(w: DemoWorld, timeline: Timeline, uuid: string): Promise<void> {
  const phase = timeline.phase;
  await w.conductor.tearDown(uuid);
  const task = w.conductor.task(uuid);
  const left = (await w.store.list()).map((o) => o.name);
  const problems = [
    task.node.provisionState === 'available' ? '' : `node is ${task.node.provisionState}`,
    w.ilo.server.power === 'OFF' ? '' : 'server is still on',
    w.ilo.server.floppy.inserted || w.ilo.server.cdrom.inserted ? 'virtual media still inserted' : '',
    left.length === 0 ? '' : `the store still holds ${left.join(', ')}`,
  ].filter((p) => p !== '');
  if (problems.length > 0) throw new DemoCheckFailed(phase, problems.join('; '));
  timeline.result({ node: `${uuid}: available`, store: 'empty', 'virtual media': 'ejected', power: 'off' });
}

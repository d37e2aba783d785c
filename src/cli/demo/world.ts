/**
 * Everything the demo runs against, in this process and on 127.0.0.1 only: a simulated
 * ProLiant DL380 Gen9 (UEFI), a web server over a temporary `http_root` with a `WebServerStore`
 * on it, the fake deploy ramdisk attached to the simulated server, an iSCSI target for the bash
 * ramdisk's disk, and the two drivers. `close()` stops all of it and removes the directory.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createAgentIloDriver,
  createIscsiIloDriver,
  type IloConfig,
  type IloDriver,
  IscsiDiskWriter,
  parseConfig,
  WebServerStore,
} from '../../index.js';
import {
  FakeAgent,
  type FakeAgentDeployInfo,
  type FakeAgentHeartbeat,
  IloSimulator,
  IscsiTargetSimulator,
  MemoryPortRegistry,
  type SimulatedIlo,
} from '../../testing/index.js';
import type { ConductorHooks } from './conductor.js';
import { DemoConductor } from './conductor.js';
import { type DirectoryServer, serveDirectory } from './http-server.js';
import { type DemoImages, makeDemoImages } from './images.js';
import { ObservedStore, RoutedDiskWriter } from './observed.js';
import type { Timeline } from './timeline.js';

/** The simulated server's model. */
export const DEMO_MODEL = 'ProLiant DL380 Gen9';
/** The disks of the ramdisk: sparse, so 2 GiB cost nothing until written. */
const DISK_BYTES = 2 * 2 ** 30;

export interface DemoWorld {
  dir: string;
  images: DemoImages;
  /** `http://127.0.0.1:<port>/images/<name>`. */
  imageUrl(name: string): string;
  web: DirectoryServer;
  store: ObservedStore;
  sim: IloSimulator;
  ilo: SimulatedIlo;
  iscsi: IscsiTargetSimulator;
  agent: FakeAgent;
  writer: RoutedDiskWriter;
  ports: MemoryPortRegistry;
  config: IloConfig;
  conductor: DemoConductor;
  /** Stops everything and removes the directory; never throws. Idempotent. */
  close(): Promise<void>;
}

/**
 * The configuration: Ironic's defaults, except waits shortened for a server that changes power
 * at once and a ramdisk that answers in milliseconds, and a stand-in isolinux (the boot ISO is
 * fetched by the simulated iLO, never run).
 */
async function demoConfig(dir: string): Promise<IloConfig> {
  const syslinux = join(dir, 'syslinux');
  await mkdir(syslinux);
  await writeFile(join(syslinux, 'isolinux.bin'), Buffer.alloc(4096, 0x90));
  await writeFile(join(syslinux, 'ldlinux.c32'), Buffer.from('LDLINUX stand-in'));
  await mkdir(join(dir, 'tmp'));
  return parseConfig({
    conductor: { apiUrl: 'http://127.0.0.1:6385/' },
    ilo: { powerRetry: 50, powerWait: 0.02, useWebServerForImages: true },
    agent: {
      commandWaitInterval: 0.02,
      postDeployGetPowerStateRetries: 100,
      postDeployGetPowerStateRetryInterval: 0.02,
    },
    default: {
      tempdir: join(dir, 'tmp'),
      isolinuxBin: join(syslinux, 'isolinux.bin'),
      ldlinuxC32: join(syslinux, 'ldlinux.c32'),
    },
  });
}

/** Starts the demo's world; on failure everything started is stopped again. */
export async function startWorld(
  timeline: Timeline,
  hooks: ConductorHooks,
  signal?: AbortSignal,
): Promise<DemoWorld> {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  const dir = await mkdtemp(join(tmpdir(), 'ironic-ilo-demo-'));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      for (const closer of closers.reverse())
        await Promise.resolve()
          .then(closer)
          .catch(() => undefined);
    })();
    return closing;
  };
  try {
    const images = await makeDemoImages(join(dir, 'images'), (image) =>
      timeline.step('Conductor', 'Conductor', `Builds the demo image ${image.name} (${image.size} bytes)`),
    );
    signal?.throwIfAborted();
    const config = await demoConfig(dir);
    const httpRoot = join(dir, 'httpboot');
    await mkdir(httpRoot);
    await chmod(dir, 0o755);
    const web = await serveDirectory(dir);
    closers.push(() => web.close());
    const store = new ObservedStore(
      new WebServerStore({ httpRoot, httpUrl: `${web.url}/httpboot/` }),
      timeline,
    );
    const sim = await IloSimulator.start({ nodes: [{ model: DEMO_MODEL, power: 'OFF' }] });
    closers.push(() => sim.close());
    const ilo = sim.node(0);
    timeline.addSecret(ilo.password);
    const iscsi = await IscsiTargetSimulator.start({ tempDirectory: dir });
    closers.push(() => iscsi.close());
    const writer = new RoutedDiskWriter(
      new IscsiDiskWriter(),
      () => ({ address: iscsi.host, port: iscsi.port }),
      timeline,
    );
    const drivers = new Map<string, IloDriver>();
    const conductor = new DemoConductor(drivers, hooks, signal);
    const ports = new MemoryPortRegistry();
    const common = {
      config,
      store,
      ports,
      lookupNode: async (macs: readonly string[]) => conductor.nodeByMacs(macs),
    };
    const agentIlo = createAgentIloDriver(common);
    closers.push(() => agentIlo.close());
    drivers.set(agentIlo.name, agentIlo);
    const iscsiIlo = createIscsiIloDriver({
      ...common,
      diskWriter: writer,
      imageCacheDir: join(dir, 'cache'),
    });
    closers.push(() => iscsiIlo.close());
    drivers.set(iscsiIlo.name, iscsiIlo);
    const agent = await startAgent(dir, conductor, timeline, iscsi);
    closers.push(() => agent.close());
    closers.push(agent.attach(ilo));
    return {
      dir,
      images,
      imageUrl: (name) => `${web.url}/images/${name}`,
      web,
      store,
      sim,
      ilo,
      iscsi,
      agent,
      writer,
      ports,
      config,
      conductor,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The deploy ramdisk on the simulated server: the Ironic Python Agent when the floppy carries
 * no deployment key (agent_ilo), Ironic's bash ramdisk when it does (iscsi_ilo: it exposes its
 * disk as a target of the in-process iSCSI server and posts `pass_deploy_info`). Its callbacks
 * go to the demo's conductor.
 */
async function startAgent(
  dir: string,
  conductor: DemoConductor,
  timeline: Timeline,
  iscsi: IscsiTargetSimulator,
): Promise<FakeAgent> {
  return FakeAgent.start({
    diskPath: join(dir, 'agent-disk.img'),
    diskSizeBytes: DISK_BYTES,
    heartbeatIntervalMs: 200,
    lookup: async ({ macs, parameters }) => {
      timeline.addSecret(parameters['ipa-agent-token']);
      timeline.step('Ramdisk', 'Conductor', `Looks its node up by MAC (${macs.length} NICs)`);
      return conductor.lookup(macs);
    },
    heartbeat: async ({ nodeUuid, agentUrl, agentToken }: FakeAgentHeartbeat) => {
      timeline.addSecret(agentToken);
      await conductor.heartbeat(nodeUuid, { agentUrl, ...(agentToken === undefined ? {} : { agentToken }) });
    },
    iscsiBackend: {
      async pathOf(target) {
        const path = join(dir, 'iscsi-disk.img');
        await iscsi.addTarget({
          iqn: target.iqn,
          luns: [{ lun: target.lun ?? 1, path, sizeBytes: DISK_BYTES }],
        });
        timeline.step(
          'Ramdisk',
          'Ramdisk',
          `Exposes its disk over iSCSI as ${target.iqn}, LUN ${target.lun ?? 1}`,
        );
        return path;
      },
    },
    passDeployInfo: async ({ nodeUuid, address, iqn, key, port, lun }: FakeAgentDeployInfo) => {
      timeline.addSecret(key);
      timeline.step(
        'Ramdisk',
        'Conductor',
        `Calls pass_deploy_info: ${iqn} at ${address}:${port}, LUN ${lun}`,
      );
      await conductor.passDeployInfo(nodeUuid, { address, iqn, key, port, lun });
    },
  });
}

import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  glanceSwiftContainer,
  glanceTempUrl,
  type IloConfigInput,
  ImageNotFound,
  ImageRefValidationFailed,
  ImageService,
  MissingParameterValue,
  parseConfig,
  parseImageRef,
  swiftTempUrl,
} from '../../../src/index.js';
import { MemoryStore } from '../../../src/testing/index.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { type FakeGlance, startGlance } from '../../helpers/glance.js';

const KERNEL = randomBytes(50_000);
const ISO = randomBytes(200_000);
const WHOLE_DISK = randomBytes(120_000);
const IDS = {
  partition: '3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  wholeDisk: 'f0e1d2c3-b4a5-4968-8776-655443322110',
  withBootIso: '11111111-2222-4333-8444-555555555555',
  queued: '99999999-8888-4777-8666-555555555555',
  md5Only: 'abcdefab-cdef-4abc-8def-abcdefabcdef',
};
const GLANCE_TOKEN = `canary-glance-token-${randomBytes(4).toString('hex')}`;
const TEMP_URL_KEY = `canary-glance-key-${randomBytes(4).toString('hex')}`;

describe('ImageService', () => {
  let http: Server;
  let base: string;
  let glance: FakeGlance;
  let dir: string;
  const memory = new MemoryStore();
  const logger = captureLogger();
  const clock = fakeClock(Date.UTC(2026, 5, 1));
  let service: ImageService;
  const config = (extra: IloConfigInput['glance'] = {}) =>
    parseConfig({
      glance: {
        glanceApiServers: [glance.url],
        swiftTempUrlKey: TEMP_URL_KEY,
        swiftEndpointUrl: 'https://swift.example.com:8080',
        swiftAccount: 'AUTH_glance',
        swiftStoreMultipleContainersSeed: 3,
        ...extra,
      },
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'image-service-'));
    http = createServer((req, res) => {
      const files: Record<string, Buffer> = { '/images/deploy.iso': ISO, '/images/kernel': KERNEL };
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/images/kernel' }).end();
      const body = files[req.url ?? ''];
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': body.length, 'last-modified': 'Wed, 01 Apr 2026 10:00:00 GMT' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    glance = await startGlance(
      [
        { id: IDS.partition, data: randomBytes(1000), properties: { kernel_id: 'k-id', ramdisk_id: 'r-id' } },
        { id: IDS.wholeDisk, data: WHOLE_DISK },
        { id: IDS.withBootIso, data: randomBytes(10), properties: { boot_iso: 'swift:boot-ready.iso' } },
        { id: IDS.queued, data: randomBytes(10), status: 'queued' },
        { id: IDS.md5Only, data: KERNEL, multihash: false },
      ],
      GLANCE_TOKEN,
    );
    await memory.listen();
    await memory.publish('boot-ready.iso', ISO);
    service = new ImageService({
      config: config(),
      glanceToken: GLANCE_TOKEN,
      swiftStore: memory,
      logger,
      clock,
    });
  });
  afterAll(async () => {
    await service?.close();
    await memory.close();
    await glance?.stop();
    await new Promise<void>((r) => http?.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  describe('references', () => {
    it.each([
      ['http://h/x.iso', 'http'],
      ['https://h/x.iso', 'http'],
      ['file:///var/lib/ironic/x.iso', 'file'],
      ['swift:boot-1be26c0b', 'swift'],
      ['glance://3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'glance'],
      ['3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', 'glance'],
    ])('classifies %s as %s', (ref, kind) => {
      expect(parseImageRef(ref).kind).toBe(kind);
    });

    it.each(['ftp://h/x.iso', 's3://bucket/x', 'relative/path.iso', 'swift:../x', 'file://otherhost/x', ''])(
      'rejects %j with ImageRefValidationFailed naming it',
      (ref) => {
        const error = (() => {
          try {
            return parseImageRef(ref);
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(ImageRefValidationFailed);
        expect((error as ImageRefValidationFailed).imageHref).toBe(ref);
      },
    );

    it('never repeats a signature it was given in an error', () => {
      expect(() => parseImageRef('ftp://h/x?temp_url_sig=canary-sig&temp_url_expires=1')).toThrow(
        /ftp:\/\/h\/x\?temp_url_sig=\*\*\*&temp_url_expires=1/,
      );
    });
  });

  describe('http(s)', () => {
    it('shows size and date with HEAD, following redirects', async () => {
      expect(await service.show(`${base}/images/deploy.iso`)).toMatchObject({
        kind: 'http',
        size: ISO.length,
      });
      expect((await service.show(`${base}/redirect`)).size).toBe(KERNEL.length);
    });

    it("rejects a HEAD that is not 200 with Ironic's message, and an unreachable server", async () => {
      await expect(service.validateHref(`${base}/images/missing.iso`)).rejects.toThrow(
        'Got HTTP code 404 instead of 200 in response to HEAD request.',
      );
      const e = await service.show('http://127.0.0.1:9/x.iso').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ImageRefValidationFailed);
      expect((e as Error).message).toMatch(/ECONNREFUSED/);
    });

    it('hands http(s) URLs to the iLO unchanged and downloads them verified', async () => {
      expect(await service.urlFor(`${base}/images/deploy.iso`)).toBe(`${base}/images/deploy.iso`);
      const sha256 = createHash('sha256').update(ISO).digest('hex');
      const out = await service.download(`${base}/images/deploy.iso`, join(dir, 'deploy.iso'), {
        checksum: `sha256:${sha256}`,
      });
      expect(out).toMatchObject({
        size: ISO.length,
        verified: true,
        checksum: { algorithm: 'sha256', value: sha256 },
      });
      expect(readFileSync(join(dir, 'deploy.iso')).equals(ISO)).toBe(true);
    });
  });

  describe('checksums', () => {
    it.each([
      ['md5', createHash('md5').update(KERNEL).digest('hex')],
      ['sha256', `sha256:${createHash('sha256').update(KERNEL).digest('hex')}`],
      ['sha512', createHash('sha512').update(KERNEL).digest('hex').toUpperCase()],
    ])('verifies %s', async (_algo, checksum) => {
      const out = await service.download(`${base}/images/kernel`, join(dir, `kernel-${_algo}`), { checksum });
      expect(out.verified).toBe(true);
    });

    it("fails a mismatch with Ironic's message and leaves no file", async () => {
      const wrong = 'd41d8cd98f00b204e9800998ecf8427e';
      const before = readdirSync(dir);
      const e = await service
        .download(`${base}/images/kernel`, join(dir, 'bad-kernel'), { checksum: wrong })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ImageRefValidationFailed);
      expect((e as Error).message).toContain(
        `Error verifying image checksum. Image ${base}/images/kernel failed to verify against checksum ${wrong}. Actual checksum is: ${createHash('md5').update(KERNEL).digest('hex')}`,
      );
      expect(readdirSync(dir)).toEqual(before);
    });

    it('rejects a malformed checksum naming the field, before downloading', async () => {
      await expect(
        service.download(`${base}/images/kernel`, join(dir, 'k'), { checksum: 'sha1:abc' }),
      ).rejects.toThrow(/checksum/);
    });

    it('leaves nothing when a download is aborted', async () => {
      const before = readdirSync(dir);
      const controller = new AbortController();
      controller.abort(new Error('stop now'));
      await expect(
        service.download(`${base}/images/deploy.iso`, join(dir, 'aborted.iso'), {
          signal: controller.signal,
        }),
      ).rejects.toThrow('stop now');
      expect(readdirSync(dir)).toEqual(before);
    });
  });

  describe('file://', () => {
    it('shows, opens and downloads a local file', async () => {
      writeFileSync(join(dir, 'local.img'), KERNEL);
      const ref = `file://${join(dir, 'local.img')}`;
      expect((await service.show(ref)).size).toBe(KERNEL.length);
      await service.download(ref, join(dir, 'copy.img'));
      expect(readFileSync(join(dir, 'copy.img')).equals(KERNEL)).toBe(true);
      await expect(service.urlFor(ref)).rejects.toThrow(/publish it to an image store/);
      await expect(service.show(`file://${join(dir, 'nope.img')}`)).rejects.toThrow(
        'Specified image file not found.',
      );
    });

    it('refuses files outside fileRoots', async () => {
      const confined = new ImageService({ fileRoots: [dir] });
      writeFileSync(join(dir, 'inside.img'), 'x');
      expect((await confined.show(`file://${join(dir, 'inside.img')}`)).size).toBe(1);
      await expect(confined.show('file:///etc/hostname')).rejects.toThrow(/outside the directories allowed/);
      await confined.close();
    });
  });

  describe('swift:<object>', () => {
    it("resolves to the store's URL and downloads through it", async () => {
      expect(await service.urlFor('swift:boot-ready.iso')).toBe(`${memory.baseUrl}boot-ready.iso`);
      const out = await service.download('swift:boot-ready.iso', join(dir, 'ready.iso'));
      expect(out.size).toBe(ISO.length);
      await expect(service.validateHref('swift:not-there.iso')).rejects.toThrow(/does not exist/);
      await expect(new ImageService().urlFor('swift:x')).rejects.toThrow(/swiftStore/);
    });
  });

  describe('Glance', () => {
    it('shows an image and reads kernel_id, ramdisk_id and boot_iso', async () => {
      expect(await service.getImageProperties(IDS.partition)).toEqual({
        kernelId: 'k-id',
        ramdiskId: 'r-id',
      });
      expect(await service.getImageProperties(`glance://${IDS.withBootIso}`)).toEqual({
        bootIso: 'swift:boot-ready.iso',
      });
      expect(await service.getImageProperties(`${base}/images/kernel`)).toEqual({});
      const info = await service.show(IDS.wholeDisk);
      expect(info).toMatchObject({
        kind: 'glance',
        size: WHOLE_DISK.length,
        checksum: { algorithm: 'sha512' },
      });
      expect(glance.requests).toContain(`/v2/images/${IDS.partition}`);
    });

    it('throws ImageNotFound for an unknown id and refuses an image that is not active', async () => {
      await expect(service.show('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
        ImageNotFound,
      );
      await expect(service.urlFor(IDS.queued)).rejects.toThrow(/queued, not active/);
      await expect(service.validateHref(IDS.queued)).rejects.toThrow(/queued, not active/);
    });

    it('signs a Swift temp URL from the [glance] options, in the seeded container', async () => {
      const url = await service.urlFor(IDS.partition);
      const expires = Math.floor(clock.now() / 1000) + 1200;
      const path = `/v1/AUTH_glance/glance_3a1/${IDS.partition}`;
      expect(url).toBe(
        `https://swift.example.com:8080${swiftTempUrl({ method: 'GET', path, key: TEMP_URL_KEY, expires })}`,
      );
    });

    it('reuses a cached temp URL only while it stays valid long enough', async () => {
      const cached = new ImageService({
        config: config({ swiftTempUrlCacheEnabled: true, swiftTempUrlExpectedDownloadStartDelay: 300 }),
        glanceToken: () => GLANCE_TOKEN,
        clock,
      });
      const first = await cached.urlFor(IDS.partition);
      clock.advance(60_000);
      expect(await cached.urlFor(IDS.partition)).toBe(first);
      clock.advance(900_000); // 1200 s lifetime - 960 s elapsed < 300 s start delay
      expect(await cached.urlFor(IDS.partition)).not.toBe(first);
      await cached.close();
    });

    it('downloads image data and verifies the published multihash, or the md5', async () => {
      const out = await service.download(IDS.wholeDisk, join(dir, 'disk.img'));
      expect(out).toMatchObject({
        size: WHOLE_DISK.length,
        verified: true,
        checksum: { algorithm: 'sha512' },
      });
      const md5 = await service.download(IDS.md5Only, join(dir, 'md5.img'));
      expect(md5).toMatchObject({ verified: true, checksum: { algorithm: 'md5' } });
    });

    it('reports a rejected token and missing temp-URL options naming each of them', async () => {
      const anonymous = new ImageService({ config: config() });
      await expect(anonymous.show(IDS.partition)).rejects.toThrow(/not authorized.*401/);
      await anonymous.close();
      const bare = new ImageService({
        config: parseConfig({ glance: { glanceApiServers: [glance.url] } }),
        glanceToken: GLANCE_TOKEN,
      });
      const e = await bare.urlFor(IDS.partition).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(MissingParameterValue);
      expect((e as MissingParameterValue).fields.map((f) => f.field)).toEqual([
        '[glance] swift_temp_url_key',
        '[glance] swift_endpoint_url',
        '[glance] swift_account',
      ]);
      await bare.close();
      await expect(new ImageService().show(IDS.partition)).rejects.toThrow(/Glance is not configured/);
    });

    it('follows the isWholeDiskImage rules of Ironic', async () => {
      expect(await service.isWholeDiskImage({ image_source: IDS.wholeDisk })).toBe(true);
      expect(await service.isWholeDiskImage({ image_source: IDS.partition })).toBe(false);
      expect(await service.isWholeDiskImage({ image_source: `${base}/x.img` })).toBe(true);
      expect(
        await service.isWholeDiskImage({ image_source: `${base}/x.img`, kernel: 'k', ramdisk: 'r' }),
      ).toBe(false);
      expect(await service.isWholeDiskImage({})).toBeUndefined();
    });

    it('never logs the Glance token or the temp-URL key', () => {
      const text = logger.lines.join('\n');
      expect(text).not.toContain(GLANCE_TOKEN);
      expect(text).not.toContain(TEMP_URL_KEY);
    });
  });

  describe('Glance temp URL details', () => {
    const section = parseConfig({}).glance;
    it.each([
      [0, '3A1B2C3D-4E5F', 'glance'],
      [3, '3A1B2C3D-4E5F', 'glance_3a1'],
      [9, '3a1b2c3d-4e5f', 'glance_3a1b2c3d-4'],
      [12, '3a1b2c3d-4e5f', 'glance_3a1b2c3d-4e5f'],
    ])('seed %i puts %s in %s', (seed, id, container) => {
      expect(glanceSwiftContainer(id, { ...section, swiftStoreMultipleContainersSeed: seed })).toBe(
        container,
      );
    });

    it('builds radosgw URLs under /swift without an account', () => {
      const url = glanceTempUrl(
        IDS.partition,
        {
          ...section,
          tempUrlEndpointType: 'radosgw',
          swiftEndpointUrl: 'https://rgw:7480',
          swiftTempUrlKey: 'k',
        },
        0,
      );
      expect(url.startsWith(`https://rgw:7480/swift/v1/glance/${IDS.partition}?temp_url_sig=`)).toBe(true);
      expect(() =>
        glanceTempUrl(
          IDS.partition,
          {
            ...section,
            tempUrlEndpointType: 'radosgw',
            swiftEndpointUrl: 'https://rgw/x',
            swiftTempUrlKey: 'k',
          },
          0,
        ),
      ).toThrow(/radosgw/);
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/index.js';
import { InvalidParameterValue, loadIronicConf, parseConfig } from '../../src/index.js';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
}

describe('parseConfig defaults', () => {
  const c = parseConfig();
  it.each([
    ['ilo.clientTimeout', c.ilo.clientTimeout, 60],
    ['ilo.clientPort', c.ilo.clientPort, 443],
    ['ilo.swiftIloContainer', c.ilo.swiftIloContainer, 'ironic_ilo_container'],
    ['ilo.swiftObjectExpiryTimeout', c.ilo.swiftObjectExpiryTimeout, 900],
    ['ilo.useWebServerForImages', c.ilo.useWebServerForImages, false],
    ['ilo.powerRetry', c.ilo.powerRetry, 6],
    ['ilo.powerWait', c.ilo.powerWait, 2],
    ['ilo.cleanPriorityResetIlo', c.ilo.cleanPriorityResetIlo, 0],
    ['ilo.cleanPriorityResetBiosToDefault', c.ilo.cleanPriorityResetBiosToDefault, 10],
    ['ilo.cleanPriorityResetSecureBootKeysToDefault', c.ilo.cleanPriorityResetSecureBootKeysToDefault, 20],
    ['ilo.cleanPriorityClearSecureBootKeys', c.ilo.cleanPriorityClearSecureBootKeys, 0],
    ['ilo.cleanPriorityResetIloCredential', c.ilo.cleanPriorityResetIloCredential, 30],
    ['ilo.cleanPriorityEraseDevices', c.ilo.cleanPriorityEraseDevices, undefined],
    ['ilo.caFile', c.ilo.caFile, undefined],
    ['ilo.verifyCa', c.ilo.verifyCa, 'True'],
    ['ilo.defaultBootMode', c.ilo.defaultBootMode, 'auto'],
    ['ilo.filePermission', c.ilo.filePermission, 0o644],
    ['deploy.httpUrl', c.deploy.httpUrl, undefined],
    ['deploy.httpRoot', c.deploy.httpRoot, '/httpboot'],
    ['deploy.eraseDevicesPriority', c.deploy.eraseDevicesPriority, undefined],
    ['deploy.eraseDevicesIterations', c.deploy.eraseDevicesIterations, 1],
    ['glance.swiftTempUrlKey', c.glance.swiftTempUrlKey, undefined],
    ['glance.swiftTempUrlDuration', c.glance.swiftTempUrlDuration, 1200],
    ['glance.swiftTempUrlCacheEnabled', c.glance.swiftTempUrlCacheEnabled, false],
    ['glance.swiftTempUrlExpectedDownloadStartDelay', c.glance.swiftTempUrlExpectedDownloadStartDelay, 0],
    ['glance.swiftEndpointUrl', c.glance.swiftEndpointUrl, undefined],
    ['glance.swiftApiVersion', c.glance.swiftApiVersion, 'v1'],
    ['glance.swiftAccount', c.glance.swiftAccount, undefined],
    ['glance.swiftContainer', c.glance.swiftContainer, 'glance'],
    ['glance.swiftStoreMultipleContainersSeed', c.glance.swiftStoreMultipleContainersSeed, 0],
    ['glance.tempUrlEndpointType', c.glance.tempUrlEndpointType, 'swift'],
    ['glance.glancePort', c.glance.glancePort, 9292],
    ['glance.glanceProtocol', c.glance.glanceProtocol, 'http'],
    ['glance.glanceApiInsecure', c.glance.glanceApiInsecure, false],
    ['glance.glanceNumRetries', c.glance.glanceNumRetries, 0],
    ['glance.authStrategy', c.glance.authStrategy, 'keystone'],
    ['swift.swiftMaxRetries', c.swift.swiftMaxRetries, 2],
    ['conductor.apiUrl', c.conductor.apiUrl, undefined],
    ['conductor.softPowerOffTimeout', c.conductor.softPowerOffTimeout, 600],
    ['pxe.pxeAppendParams', c.pxe.pxeAppendParams, 'nofb nomodeset vga=normal'],
    ['pxe.diskDevices', c.pxe.diskDevices, 'cciss/c0d0,sda,hda,vda'],
    ['agent.manageAgentBoot', c.agent.manageAgentBoot, true],
    ['agent.agentApiVersion', c.agent.agentApiVersion, 'v1'],
    ['agent.commandTimeout', c.agent.commandTimeout, 60],
    ['agent.maxCommandAttempts', c.agent.maxCommandAttempts, 3],
    ['agent.commandWaitAttempts', c.agent.commandWaitAttempts, 100],
    ['agent.commandWaitInterval', c.agent.commandWaitInterval, 6],
    ['default.isolinuxBin', c.default.isolinuxBin, '/usr/lib/ISOLINUX/isolinux.bin'],
    ['default.ldlinuxC32', c.default.ldlinuxC32, '/usr/lib/syslinux/modules/bios/ldlinux.c32'],
  ])('%s defaults to %j', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  it('keeps given values and fills the rest of the section', () => {
    const cfg = parseConfig({ ilo: { powerRetry: 2, powerWait: 0 } });
    expect(cfg.ilo.powerRetry).toBe(2);
    expect(cfg.ilo.powerWait).toBe(0);
    expect(cfg.ilo.clientPort).toBe(443);
  });
});

describe('parseConfig rejections', () => {
  function fieldsOf(fn: () => unknown): string[] {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidParameterValue);
      return (e as InvalidParameterValue).fields.map((f) => f.field);
    }
    throw new Error('expected a rejection');
  }

  it('rejects a port out of range', () => {
    expect(fieldsOf(() => parseConfig({ ilo: { clientPort: 65536 } }))).toEqual(['ilo.clientPort']);
  });

  it('rejects a non-integer timeout', () => {
    expect(fieldsOf(() => parseConfig({ ilo: { clientTimeout: 1.5 } }))).toEqual(['ilo.clientTimeout']);
  });

  it('reports every bad option at once, unknown ones included', () => {
    const fields = fieldsOf(() =>
      parseConfig({
        ilo: { clientPort: 0, defaultBootMode: 'legacy' as 'bios', nope: 1 } as never,
        deploy: { httpUrl: 'not a url' },
      }),
    );
    expect(fields.sort()).toEqual(['deploy.httpUrl', 'ilo.clientPort', 'ilo.defaultBootMode', 'ilo.nope']);
  });
});

describe('loadIronicConf', () => {
  it('reads the known sections, converting types, and fills defaults', () => {
    const cfg = loadIronicConf(`
[DEFAULT]
# comment
isolinux_bin = /opt/isolinux.bin

[ilo]
client_timeout = 30
use_web_server_for_images = True
clean_priority_erase_devices = 0
file_permission = 0640

[deploy]
http_url = http://192.0.2.1:8080/
http_root = /srv/httpboot

[glance]
glance_api_servers = http://a:9292, http://b:9292
`);
    expect(cfg.ilo.clientTimeout).toBe(30);
    expect(cfg.ilo.useWebServerForImages).toBe(true);
    expect(cfg.ilo.cleanPriorityEraseDevices).toBe(0);
    expect(cfg.ilo.filePermission).toBe(0o640);
    expect(cfg.ilo.powerRetry).toBe(6);
    expect(cfg.deploy.httpUrl).toBe('http://192.0.2.1:8080/');
    expect(cfg.deploy.httpRoot).toBe('/srv/httpboot');
    expect(cfg.glance.glanceApiServers).toEqual(['http://a:9292', 'http://b:9292']);
    expect(cfg.default.isolinuxBin).toBe('/opt/isolinux.bin');
  });

  it('ignores unknown sections silently and unknown options with a warning', () => {
    const logger = recordingLogger();
    const cfg = loadIronicConf(
      '[database]\nconnection = mysql://x\n[ilo]\nfrobnicate = 1\npower_wait = 1\n',
      { logger },
    );
    expect(cfg.ilo.powerWait).toBe(1);
    expect(logger.warnings).toEqual(['ironic.conf: unknown option [ilo] frobnicate ignored']);
  });

  it('reads the deprecated [pxe] http_url / http_root into [deploy] with a warning', () => {
    const logger = recordingLogger();
    const cfg = loadIronicConf('[pxe]\nhttp_root = /old\n', { logger });
    expect(cfg.deploy.httpRoot).toBe('/old');
    expect(logger.warnings).toHaveLength(1);
  });

  it('rejects every bad value at once, naming the ironic.conf option', () => {
    let error: InvalidParameterValue | undefined;
    try {
      loadIronicConf('[ilo]\nclient_port = 70000\nclient_timeout = qwe\nuse_web_server_for_images = maybe\n');
    } catch (e) {
      error = e as InvalidParameterValue;
    }
    expect(error).toBeInstanceOf(InvalidParameterValue);
    expect(error?.fields.map((f) => f.field).sort()).toEqual([
      '[ilo] client_port',
      '[ilo] client_timeout',
      '[ilo] use_web_server_for_images',
    ]);
  });

  it('never echoes the value of a secret option in an error', () => {
    const canary = 'CANARY-temp-url-key-8f1d';
    let text = '';
    try {
      loadIronicConf(`[glance]\nswift_temp_url_key = ${canary}\nglance_port = x\n`);
    } catch (e) {
      text = `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack}`;
    }
    expect(text).toContain('[glance] glance_port');
    expect(text).not.toContain(canary);
  });

  it('reports a line outside any section', () => {
    expect(() => loadIronicConf('orphan = 1\n')).toThrow(/option outside any section/);
  });
});

import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestCertificate } from '../../../src/testing/index.js';

describe('createTestCertificate', () => {
  it('makes a CA and a server certificate it signed, for 127.0.0.1, ::1 and localhost', () => {
    const { caPem, certPem, keyPem } = createTestCertificate();
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(certPem);
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkHost('example.com')).toBeUndefined();
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(new Date(leaf.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(keyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('makes a different key every time', () => {
    expect(createTestCertificate().certPem).not.toBe(createTestCertificate().certPem);
  });
});

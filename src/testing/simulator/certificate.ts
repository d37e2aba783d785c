import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { bits, bool, explicit, implicit, int, namedBits, octets, oid, seq, set, time, utf8 } from './der.js';

/**
 * A certificate authority and a server certificate it signed, in PEM. The server certificate
 * names `127.0.0.1`, `::1` and `localhost`, so that clients verifying host names (python-requests,
 * Node) accept it once they trust `caPem`.
 *
 * @example
 * ```ts
 * const { caPem, certPem, keyPem } = createTestCertificate();
 * https.createServer({ cert: certPem, key: keyPem }, handler);
 * ```
 */
export interface TestCertificate {
  /** The CA certificate clients trust. */
  caPem: string;
  /** The server certificate. */
  certPem: string;
  /** The server's private key (PKCS #8). */
  keyPem: string;
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const DAY = 86_400_000;

function pem(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

const name = (cn: string): Buffer =>
  seq(set(seq(oid('2.5.4.10'), utf8('ironic-ilo IloSimulator'))), set(seq(oid('2.5.4.3'), utf8(cn))));

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function keyId(spki: Buffer): Buffer {
  // RFC 5280 method 1 would hash the key bits only; any stable hash of the key identifies it.
  return createHash('sha1').update(spki).digest();
}

function certificate(options: {
  subject: string;
  issuer: string;
  spki: Buffer;
  issuerSpki: Buffer;
  signer: KeyObject;
  days: number;
  extensions: Buffer[];
}): Buffer {
  const now = Date.now();
  const tbs = seq(
    explicit(0, int(2n)),
    int(randomBytes(16)),
    ECDSA_SHA256,
    name(options.issuer),
    seq(time(new Date(now - DAY)), time(new Date(now + options.days * DAY))),
    name(options.subject),
    options.spki,
    explicit(
      3,
      seq(
        ...options.extensions,
        extension('2.5.29.14', false, octets(keyId(options.spki))),
        extension('2.5.29.35', false, seq(implicit(0, keyId(options.issuerSpki)))),
      ),
    ),
  );
  return seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, options.signer)));
}

/**
 * Makes a fresh CA and a server certificate for `127.0.0.1` / `localhost` with node:crypto
 * (ECDSA P-256, no external binaries). The CA's private key is discarded once it has signed.
 *
 * @example
 * ```ts
 * const cert = createTestCertificate();
 * ```
 */
export function createTestCertificate(): TestCertificate {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caSpki = ca.publicKey.export({ type: 'spki', format: 'der' });
  const leafSpki = leaf.publicKey.export({ type: 'spki', format: 'der' });
  const caDer = certificate({
    subject: 'IloSimulator test CA',
    issuer: 'IloSimulator test CA',
    spki: caSpki,
    issuerSpki: caSpki,
    signer: ca.privateKey,
    days: 3650,
    extensions: [
      extension('2.5.29.19', true, seq(bool(true))),
      extension('2.5.29.15', true, namedBits([5, 6])),
    ],
  });
  const san = seq(
    implicit(2, Buffer.from('localhost')),
    implicit(7, Buffer.from([127, 0, 0, 1])),
    implicit(7, Buffer.alloc(16, 0).fill(1, 15)),
  );
  const leafDer = certificate({
    subject: '127.0.0.1',
    issuer: 'IloSimulator test CA',
    spki: leafSpki,
    issuerSpki: caSpki,
    signer: ca.privateKey,
    days: 825,
    extensions: [
      extension('2.5.29.19', true, seq()),
      extension('2.5.29.15', true, namedBits([0])),
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
      extension('2.5.29.17', false, san),
    ],
  });
  return {
    caPem: pem('CERTIFICATE', caDer),
    certPem: pem('CERTIFICATE', leafDer),
    keyPem: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

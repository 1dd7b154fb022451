/**
 * The certificate of `tapedeck sim --tls`: self-signed, for 127.0.0.1, ::1 and localhost (plus the
 * host the simulator listens on), made at start-up with the `selfsigned` package. Node's own crypto
 * makes keys but cannot issue an X.509 certificate, and the simulator writes no ASN.1 by hand.
 * The package is loaded only when TLS is asked for.
 */
import { isIP } from 'node:net';

export interface TlsMaterial {
  /** PEM certificate (what a client trusts, and what --cert-out writes). */
  cert: string;
  /** PEM private key. */
  key: string;
}

/** The part of selfsigned's documented API (v5: async `generate(attrs, options)`) used here. */
interface SelfsignedModule {
  generate(
    attrs: { name: string; value: string }[],
    options: {
      keyType?: 'rsa' | 'ec';
      curve?: 'P-256' | 'P-384' | 'P-521';
      algorithm?: string;
      notBeforeDate?: Date;
      notAfterDate?: Date;
      extensions?: unknown[];
    },
  ): Promise<{ private: string; public: string; cert: string; fingerprint: string }>;
}

// A variable specifier keeps the package optional at type-check time and out of the bundle's eager imports.
const SELFSIGNED = 'selfsigned';

/** The names the certificate covers: the loopback names always, and the listening host if it is another. */
export function certificateNames(host: string): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    if (bare !== '0.0.0.0' && bare !== '::') ips.add(bare);
  } else if (bare) dns.add(bare);
  return { dns: [...dns], ips: [...ips] };
}

export async function selfSignedCertificate(host: string, now = Date.now()): Promise<TlsMaterial> {
  let mod: SelfsignedModule;
  try {
    mod = (await import(SELFSIGNED)) as SelfsignedModule;
  } catch (err) {
    throw new Error(`--tls needs the 'selfsigned' package, which is not installed (${(err as Error).message})`);
  }
  const names = certificateNames(host);
  const pems = await mod.generate([{ name: 'commonName', value: '127.0.0.1' }, { name: 'organizationName', value: 'Tapedeck simulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names.dns.map((value) => ({ type: 2, value })), ...names.ips.map((ip) => ({ type: 7, ip }))] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

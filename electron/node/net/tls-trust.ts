/**
 * Which certificate authorities our HTTPS and WSS clients trust (docs/tls.md): Node's built-in
 * roots, the file named by NODE_EXTRA_CA_CERTS, and one more file the user names (`--ca-file`, or
 * the app's "Extra certificate authority" setting) for a private authority such as the one
 * `tapedeck sim --tls --cert-out FILE` writes.
 *
 * NODE_EXTRA_CA_CERTS is read by Node once, at start, into its default store; an explicit `ca`
 * replaces that store, so the file is read again here and kept in the list. The trust is the
 * process's: the CLI sets it once, the app's host whenever the setting changes.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';

export class TrustFileError extends Error {}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file, each parsed so a broken file is refused here, not at the first handshake. */
export function readCertificateFile(file: string, what = file): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TrustFileError(`cannot read the certificate file ${what}: ${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message}`);
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new TrustFileError(`${what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const [i, pem] of blocks.entries()) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new TrustFileError(`certificate ${i + 1} in ${what} is not a valid X.509 certificate`);
    }
  }
  return blocks;
}

interface Trust {
  file: string;
  ca: string[];
  dispatcher: Agent;
}

let extra: Trust | null = null;

/** Trusts the certificates in FILE besides the defaults; undefined or '' goes back to the defaults. */
export function trustCaFile(file: string | undefined): void {
  if (!file) {
    void extra?.dispatcher.close();
    extra = null;
    return;
  }
  if (extra?.file === file) return;
  const fromFile = readCertificateFile(file);
  const envFile = process.env.NODE_EXTRA_CA_CERTS;
  const fromEnv = envFile ? readCertificateFile(envFile, `${envFile} (NODE_EXTRA_CA_CERTS)`) : [];
  const ca = [...rootCertificates, ...fromEnv, ...fromFile];
  void extra?.dispatcher.close();
  extra = { file, ca, dispatcher: new Agent({ connect: { ca } }) };
}

/** The extra authority file in force, if any (for status lines; never a secret). */
export function trustedCaFile(): string | null {
  return extra?.file ?? null;
}

/** fetch with the process's trust. Every HTTPS call of ours goes through here. */
export function trustedFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
  return undiciFetch(url, extra ? { ...init, dispatcher: extra.dispatcher } : init);
}

/** TLS options for a `ws` WebSocket with the process's trust (empty: Node's default store). */
export function webSocketTrust(): { ca?: string[] } {
  return extra ? { ca: extra.ca } : {};
}

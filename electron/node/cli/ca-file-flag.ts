/** `--ca-file FILE` (record, login): trust a private certificate authority besides the defaults (docs/tls.md). */
import { trustCaFile, TrustFileError } from '../net/tls-trust.js';
import { UserError } from './errors.js';

export const CA_FILE_HELP = `--ca-file FILE trusts the PEM certificate(s) in FILE besides the built-in authorities and
NODE_EXTRA_CA_CERTS, e.g. the one 'tapedeck sim --tls --cert-out FILE' writes.`;

export function applyCaFileFlag(file: string | undefined): void {
  if (file === undefined) return;
  try {
    trustCaFile(file);
  } catch (err) {
    if (err instanceof TrustFileError) throw new UserError(`--ca-file: ${err.message}`);
    throw err;
  }
}

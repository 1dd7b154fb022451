/** `tapedeck sim --tls --cert-out FILE` as a child process: https/wss with the certificate it wrote. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('sim-tls');
after(() => tmp.cleanup());

function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

test('sim --tls --cert-out FILE serves https with the self-signed certificate it wrote, and names both addresses', async (t) => {
  const file = join(tmp.dir, 'sim.pem');
  const sim = startCli(['sim', '--port', '0', '--tls', '--cert-out', file]);
  const ready = await waitFor('the listening line or an exit', () => /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(sim.stdout())?.[1] ?? (sim.child.exitCode !== null ? 'exited' : null));
  if (ready === 'exited') {
    if (/selfsigned/.test(sim.stderr())) return t.skip(sim.stderr().trim());
    assert.fail(sim.stderr());
  }
  try {
    const pem = readFileSync(file, 'utf8');
    assert.match(pem, /^-----BEGIN CERTIFICATE-----/);
    const status = await httpsStatus(`${ready}/v1/oauth/authorize?client_id=k&redirect_uri=${encodeURIComponent('https://127.0.0.1:8182')}`, pem);
    assert.equal(status, 200);
    const port = new URL(ready).port;
    assert.equal(await httpsStatus(`https://localhost:${port}/nope`, pem), 404, 'localhost is covered too');
    assert.match(await waitFor('the td line', () => /td streamer on (wss:\/\/127\.0\.0\.1:\d+\/ws)/.exec(sim.stdout())?.[1]), /^wss:/);
  } finally {
    sim.child.kill('SIGTERM');
    assert.equal((await sim.exit).code, 0);
  }
});

test('sim --cert-out without --tls is a usage error', async () => {
  const r = await runCli(['sim', '--cert-out', join(tmp.dir, 'x.pem')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--cert-out needs --tls/);
});

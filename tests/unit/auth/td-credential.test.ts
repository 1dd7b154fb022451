import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTdCredential, tokenTimestampMs } from '../../../electron/node/provider/td-credential.js';

test('tokenTimestamp with a colon-less offset converts to epoch ms (docs/protocol/tdameritrade.md §3.3)', () => {
  assert.equal(tokenTimestampMs('2020-05-22T02:12:48+0000'), 1590113568000);
  assert.equal(tokenTimestampMs('2020-05-22T04:12:48+0200'), 1590113568000);
  assert.equal(tokenTimestampMs('2020-05-21T21:12:48-05:00'), 1590113568000);
  assert.equal(tokenTimestampMs('2020-05-22T02:12:48Z'), 1590113568000);
  assert.throws(() => tokenTimestampMs('yesterday'), /not an ISO-8601/);
});

test('the LOGIN credential is form-encoded in the tutorial order', () => {
  const credential = buildTdCredential({
    accountId: '123456789',
    company: 'AMER',
    segment: 'AMER',
    accountCdDomainId: 'A000000012345678',
    streamer: {
      token: '027363a5a5acd542622c125e04ca674be3cc5d5b',
      tokenTimestamp: '2020-05-22T02:12:48+0000',
      userGroup: 'ACCT',
      accessLevel: 'ACCT',
      appId: 'APP ID',
      acl: 'ABCD+EF',
    },
  });
  assert.equal(
    credential,
    'userid=123456789&token=027363a5a5acd542622c125e04ca674be3cc5d5b&company=AMER&segment=AMER' +
      '&cddomain=A000000012345678&usergroup=ACCT&accesslevel=ACCT&authorized=Y&timestamp=1590113568000' +
      '&appid=APP+ID&acl=ABCD%2BEF',
  );
  const parsed = new URLSearchParams(credential);
  assert.equal(parsed.get('acl'), 'ABCD+EF');
  assert.equal(parsed.get('appid'), 'APP ID');
});

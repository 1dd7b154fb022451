/**
 * The TD Ameritrade LOGIN credential, built exactly as the tutorial and tda-api build it
 * (docs/protocol/tdameritrade.md §3.3): a form-encoded query string of the principals' fields, in this order.
 */
export interface TdPrincipalsForLogin {
  accountId: string;
  company: string;
  segment: string;
  accountCdDomainId: string;
  streamer: {
    token: string;
    tokenTimestamp: string;
    userGroup: string;
    accessLevel: string;
    appId: string;
    acl: string;
  };
}

/**
 * "2020-05-22T02:12:48+0000" → 1590113568000. The offset is written without a colon, which
 * Date.parse does not accept everywhere, so it is parsed explicitly.
 */
export function tokenTimestampMs(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(text.trim());
  if (!m) throw new Error(`tokenTimestamp '${text}' is not an ISO-8601 time`);
  const [, y, mo, d, h, mi, s, zone, sign, oh, om] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (zone === 'Z') return utc;
  const offsetMs = (Number(oh) * 60 + Number(om)) * 60_000;
  return sign === '+' ? utc - offsetMs : utc + offsetMs;
}

export function buildTdCredential(p: TdPrincipalsForLogin): string {
  const fields: [string, string][] = [
    ['userid', p.accountId],
    ['token', p.streamer.token],
    ['company', p.company],
    ['segment', p.segment],
    ['cddomain', p.accountCdDomainId],
    ['usergroup', p.streamer.userGroup],
    ['accesslevel', p.streamer.accessLevel],
    ['authorized', 'Y'],
    ['timestamp', String(tokenTimestampMs(p.streamer.tokenTimestamp))],
    ['appid', p.streamer.appId],
    ['acl', p.streamer.acl],
  ];
  // URLSearchParams form-encodes like Python's urlencode (space → '+'), matching tda-api byte for byte.
  return new URLSearchParams(fields).toString();
}

/**
 * Streamer bootstrap per dialect: Schwab's userPreference (docs/protocol/schwab.md §2) and TD's userprincipals
 * (docs/protocol/tdameritrade.md §2), turned into the login parameters of the streamer.
 */
import { endpointUrl, PATHS } from '../auth/endpoints.js';
import { getJson, isRecord, requireString } from './http-json.js';
import { streamerSocketUrl } from './socket-url.js';
import { buildTdCredential } from './td-credential.js';
import { ProviderError, type StreamerLogin } from './types.js';

export async function schwabStreamerLogin(apiBase: string, accessToken: string): Promise<StreamerLogin> {
  const body = await getJson(endpointUrl(apiBase, PATHS.schwab.principals), accessToken);
  // The live endpoint returns an object; the portal's schema shows an array (docs/protocol/schwab.md §2). Accept both.
  const pref = Array.isArray(body) ? body[0] : body;
  if (!isRecord(pref)) throw new ProviderError('userPreference: unexpected response shape');
  const infos = pref.streamerInfo;
  const info = Array.isArray(infos) ? infos[0] : infos;
  if (!isRecord(info)) throw new ProviderError('userPreference: streamerInfo is missing');
  const where = 'userPreference.streamerInfo';
  return {
    url: streamerSocketUrl(requireString(info, 'streamerSocketUrl', where)),
    requestIds: {
      SchwabClientCustomerId: requireString(info, 'schwabClientCustomerId', where),
      SchwabClientCorrelId: requireString(info, 'schwabClientCorrelId', where),
    },
    loginParameters: {
      Authorization: accessToken,
      SchwabClientChannel: requireString(info, 'schwabClientChannel', where),
      SchwabClientFunctionId: requireString(info, 'schwabClientFunctionId', where),
    },
  };
}

export async function tdStreamerLogin(apiBase: string, accessToken: string, accountId?: string): Promise<StreamerLogin> {
  const url = endpointUrl(apiBase, PATHS.tdameritrade.principals) + '?fields=streamerSubscriptionKeys,streamerConnectionInfo';
  const body = await getJson(url, accessToken);
  if (!isRecord(body)) throw new ProviderError('userprincipals: unexpected response shape');
  const info = body.streamerInfo;
  if (!isRecord(info)) throw new ProviderError('userprincipals: streamerInfo is missing');
  const accounts = Array.isArray(body.accounts) ? body.accounts.filter(isRecord) : [];
  // docs/protocol/tdameritrade.md §2.1: the quick-start takes accounts[0]; with several, the user may pick one.
  const account = accountId ? accounts.find((a) => a.accountId === accountId) : accounts[0];
  if (!account) {
    throw new ProviderError(accountId ? `userprincipals: no account ${accountId}` : 'userprincipals: no accounts');
  }
  const where = 'userprincipals';
  const streamer = {
    token: requireString(info, 'token', `${where}.streamerInfo`),
    tokenTimestamp: requireString(info, 'tokenTimestamp', `${where}.streamerInfo`),
    userGroup: requireString(info, 'userGroup', `${where}.streamerInfo`),
    accessLevel: requireString(info, 'accessLevel', `${where}.streamerInfo`),
    appId: requireString(info, 'appId', `${where}.streamerInfo`),
    acl: requireString(info, 'acl', `${where}.streamerInfo`),
  };
  const id = requireString(account, 'accountId', `${where}.accounts`);
  const credential = buildTdCredential({
    accountId: id,
    company: requireString(account, 'company', `${where}.accounts`),
    segment: requireString(account, 'segment', `${where}.accounts`),
    accountCdDomainId: requireString(account, 'accountCdDomainId', `${where}.accounts`),
    streamer,
  });
  const keys = isRecord(body.streamerSubscriptionKeys) ? body.streamerSubscriptionKeys.keys : undefined;
  const firstKey = Array.isArray(keys) && isRecord(keys[0]) && typeof keys[0].key === 'string' ? keys[0].key : undefined;
  return {
    url: streamerSocketUrl(requireString(info, 'streamerSocketUrl', `${where}.streamerInfo`), apiBase),
    requestIds: { account: id, source: streamer.appId },
    loginParameters: { credential, token: streamer.token, version: '1.0' },
    accountActivityKey: firstKey,
  };
}

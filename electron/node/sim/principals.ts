/**
 * The bootstrap endpoints: Schwab's userPreference (docs/protocol/schwab.md §2) and TD's userprincipals
 * (docs/protocol/tdameritrade.md §2.1), pointing the client at this simulator's streamer sockets.
 */
import type { SimUser } from './auth-store.js';
import { isoNoColon } from './clock.js';

export function userPreference(user: SimUser, streamerUrl: string): unknown {
  return {
    accounts: [
      { accountNumber: user.accountId, primaryAccount: true, type: 'BROKERAGE', nickName: 'Individual', displayAcctId: `...${user.accountId.slice(-3)}`, autoPositionEffect: false, accountColor: 'Green' },
    ],
    // Exactly one element, a full wss://…/ws URL (ws:// without TLS) (docs/protocol/schwab.md §2).
    streamerInfo: [
      { streamerSocketUrl: streamerUrl, schwabClientCustomerId: user.customerId, schwabClientCorrelId: user.correlId, schwabClientChannel: 'N9', schwabClientFunctionId: 'APIAPP' },
    ],
    offers: [{ level2Permissions: true, mktDataPermission: 'NP' }],
  };
}

const PREFERENCES = {
  expressTrading: false, directOptionsRouting: false, directEquityRouting: false, defaultEquityOrderLegInstruction: 'NONE',
  defaultEquityOrderType: 'LIMIT', defaultEquityOrderPriceLinkType: 'NONE', defaultEquityOrderDuration: 'DAY',
  defaultEquityOrderMarketSession: 'NORMAL', defaultEquityQuantity: 0, mutualFundTaxLotMethod: 'FIFO', optionTaxLotMethod: 'FIFO',
  equityTaxLotMethod: 'FIFO', defaultAdvancedToolLaunch: 'NONE', authTokenTimeout: 'FIFTY_FIVE_MINUTES',
};

/** Blocks appear only when `fields` asks for them (docs/protocol/tdameritrade.md §2). */
export function userPrincipals(user: SimUser, streamerAddress: string, fields: ReadonlySet<string>): unknown {
  const login = isoNoColon(user.tokenTimestamp);
  const body: Record<string, unknown> = {
    authToken: '',
    userId: user.name,
    userCdDomainId: user.cdDomainId,
    primaryAccountId: user.accountId,
    lastLoginTime: login,
    tokenExpirationTime: isoNoColon(user.tokenTimestamp + 30 * 60_000),
    loginTime: login,
    accessLevel: 'CUS',
    stalePassword: false,
  };
  if (fields.has('streamerConnectionInfo')) {
    body.streamerInfo = {
      streamerBinaryUrl: 'streamer-bin.invalid',
      // A bare HOST:PORT, as the real server sent a bare host: clients build wss://HOST:PORT/ws
      // (docs/protocol/tdameritrade.md §2.1, §3.1).
      streamerSocketUrl: streamerAddress,
      token: user.streamerToken,
      tokenTimestamp: isoNoColon(user.tokenTimestamp),
      userGroup: user.userGroup,
      accessLevel: user.accessLevel,
      acl: user.acl,
      appId: user.appId,
    };
  }
  body.professionalStatus = 'NON_PROFESSIONAL';
  body.quotes = { isNyseDelayed: false, isNasdaqDelayed: false, isOpraDelayed: false, isAmexDelayed: false, isCmeDelayed: true, isIceDelayed: true, isForexDelayed: true };
  if (fields.has('streamerSubscriptionKeys')) body.streamerSubscriptionKeys = { keys: [{ key: user.subscriptionKey }] };
  body.exchangeAgreements = { NASDAQ_EXCHANGE_AGREEMENT: 'ACCEPTED', OPRA_EXCHANGE_AGREEMENT: 'ACCEPTED', NYSE_EXCHANGE_AGREEMENT: 'ACCEPTED' };
  const account: Record<string, unknown> = {
    accountId: user.accountId,
    displayName: user.name,
    accountCdDomainId: user.cdDomainId,
    company: user.company,
    segment: user.segment,
  };
  if (fields.has('surrogateIds')) account.surrogateIds = { SCHWAB: user.customerId.slice(0, 16) };
  if (fields.has('preferences')) account.preferences = PREFERENCES;
  account.acl = user.acl;
  account.authorizations = {
    apex: false, levelTwoQuotes: true, stockTrading: true, marginTrading: true, streamingNews: true,
    optionTradingLevel: 'LONG', streamerAccess: true, advancedMargin: true, scottradeAccount: false,
  };
  body.accounts = [account];
  return body;
}

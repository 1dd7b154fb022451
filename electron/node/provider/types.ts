import type { Dialect } from '../../../shared/protocol/services.js';

import type { ProviderName } from '../../../shared/api-values.js';
import type { MarketDataClient } from './market-data-types.js';

export type { ProviderName };

/** Everything needed to open and log in to a streamer connection. */
export interface StreamerLogin {
  url: string;
  /** Keys stamped on every request: SchwabClientCustomerId/CorrelId, or TD account/source. */
  requestIds: Record<string, string>;
  loginParameters: Record<string, string>;
  /** TD: streamerSubscriptionKeys.keys[0].key, the only valid ACCT_ACTIVITY key. */
  accountActivityKey?: string;
}

export interface StreamerProvider {
  readonly name: ProviderName;
  readonly dialect: Dialect;
  /** True for simulated data, which the UI must label as such. */
  readonly simulated: boolean;
  /** Fetches fresh login parameters (refreshing the access token first when needed). */
  streamerLogin(): Promise<StreamerLogin>;
  /** LOGIN was denied (code 3): get a new access token; false when nothing can be done. */
  recoverFromDeniedLogin(): Promise<boolean>;
  /** REST market data under the provider's API base, with the streamer's token; absent for a provider without one (test servers). */
  readonly marketData?: MarketDataClient;
  close(): Promise<void>;
}

export class ProviderError extends Error {}

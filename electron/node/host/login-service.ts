/**
 * Logging in to a broker: the authorize URL with a fresh state, the redirect checked against it,
 * the code exchanged for tokens, and streaming restarted with them. The platform shows the broker's
 * page (an app window in Electron); in browser mode the user opens the URL and serve completes it.
 */
import type { Handlers, LoginStart } from '../../../shared/api.js';
import { buildAuthorizeUrl, codeFromRedirect, newOAuthState } from '../auth/oauth-flow.js';
import { exchangeCode } from '../auth/token-endpoint.js';
import type { EventBus } from './event-bus.js';
import { brokerLabel, type Broker, type SettingsService } from './settings-service.js';

/** Shows the broker's page and resolves with the URL it redirected to the callback (null: closed). */
export type OpenLogin = (authorizeUrl: string, callbackUrl: string) => Promise<string | null>;

interface PendingLogin {
  broker: Broker;
  state: string;
  callbackUrl: string;
  /** The endpoints the login started with: the code is exchanged only with them. */
  apiBase: string;
  authBase: string;
}

/** What the user must do when the app secret is missing (never entered, or cleared by a moved endpoint). */
export const ENTER_APP_SECRET = 'Enter the app secret in Settings, then log in again (it is cleared whenever the API or authorize address changes).';

export class LoginService {
  private pending: PendingLogin | null = null;

  constructor(
    private readonly settings: SettingsService,
    private readonly bus: EventBus,
    private readonly restartStreaming: () => Promise<void>,
    private readonly openLogin: OpenLogin | undefined,
  ) {}

  readonly handlers: Pick<Handlers, 'auth:login' | 'auth:logout'> = {
    'auth:login': async () => this.login(),
    'auth:logout': async () => {
      const b = this.settings.provider;
      if (b !== 'demo' && this.settings.broker(b).secrets?.tokens) {
        await this.settings.setTokens(b, null);
        await this.restartStreaming();
      }
      return this.settings.view();
    },
  };

  /** The authorize URL for the selected broker, with a fresh state remembered for the redirect. */
  begin(): { authorizeUrl: string; callbackUrl: string } {
    const b = this.settings.provider;
    if (b === 'demo') throw new Error('The demo needs no login');
    const { endpoints, secrets } = this.settings.broker(b);
    if (!secrets?.appKey) throw new Error('Enter the app key in Settings first');
    if (b === 'schwab' && !secrets.appSecret) throw new Error(ENTER_APP_SECRET);
    const state = newOAuthState();
    this.pending = { broker: b, state, callbackUrl: endpoints.callbackUrl, apiBase: endpoints.apiBase, authBase: endpoints.authBase };
    return {
      authorizeUrl: buildAuthorizeUrl({ dialect: b, authBase: endpoints.authBase, appKey: secrets.appKey, redirectUri: endpoints.callbackUrl, state }),
      callbackUrl: endpoints.callbackUrl,
    };
  }

  /**
   * Checks the redirect against the pending login, exchanges the code and restarts streaming. A
   * redirect whose state does not match leaves the pending login in place (a stray or forged
   * request must not cancel the user's login). The code is exchanged only with the endpoints the
   * login started with, and only with an app secret entered for them: if Settings moved the
   * endpoints meanwhile, the secret was cleared and nothing is sent anywhere.
   */
  async complete(redirectedUrl: string): Promise<void> {
    const pending = this.pending;
    if (!pending) throw new Error('No login is in progress');
    const code = codeFromRedirect(redirectedUrl, pending.state, pending.callbackUrl);
    this.pending = null;
    const { endpoints, secrets } = this.settings.broker(pending.broker);
    if (!secrets?.appKey) throw new Error('The app key was removed during the login: enter it in Settings, then log in again.');
    if (endpoints.apiBase !== pending.apiBase || endpoints.authBase !== pending.authBase) {
      throw new Error(`The API or authorize address changed during the login, so nothing was sent. ${ENTER_APP_SECRET}`);
    }
    if (pending.broker === 'schwab' && !secrets.appSecret) throw new Error(ENTER_APP_SECRET);
    const tokens = await exchangeCode(
      { dialect: pending.broker, apiBase: endpoints.apiBase, app: { appKey: secrets.appKey, appSecret: secrets.appSecret } },
      code,
      pending.callbackUrl,
    );
    await this.settings.setTokens(pending.broker, tokens);
    this.bus.message('info', `Logged in to ${brokerLabel(pending.broker)}.`);
    await this.restartStreaming();
  }

  private async login(): Promise<LoginStart> {
    if (this.settings.provider === 'demo') return { kind: 'none', reason: 'The demo needs no login.' };
    const { authorizeUrl, callbackUrl } = this.begin();
    const open = this.openLogin;
    if (!open) return { kind: 'browser', url: authorizeUrl };
    // The window runs on its own; the result arrives as messages and a settings change.
    void open(authorizeUrl, callbackUrl)
      .then(async (redirected) => {
        if (redirected === null) {
          this.pending = null;
          this.bus.message('info', 'Login window closed.');
          return;
        }
        await this.complete(redirected);
      })
      .catch((err: Error) => this.bus.message('error', `Login failed: ${err.message}`));
    return { kind: 'window' };
  }
}

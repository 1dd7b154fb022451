/**
 * docs/protocol/tdameritrade.md §3.1: the principals give a bare host (the simulator a bare HOST:PORT)
 * and the client builds wss://HOST/ws — ws://HOST/ws when the API base itself is plain http (the
 * simulator without --tls). A URL that already names its scheme (Schwab) is used as given.
 */
export function streamerSocketUrl(value: string, apiBase?: string): string {
  const trimmed = value.trim();
  if (/^wss?:\/\//i.test(trimmed)) return trimmed;
  if (trimmed === '' || /[\s/?#]/.test(trimmed)) throw new Error(`streamer address '${value}' is neither a host nor a ws:// URL`);
  const scheme = apiBase !== undefined && /^http:\/\//i.test(apiBase.trim()) ? 'ws' : 'wss';
  return `${scheme}://${trimmed}/ws`;
}

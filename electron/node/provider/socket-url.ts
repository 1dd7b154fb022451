/**
 * docs/protocol/tdameritrade.md §3.1: the principals give a bare host and the client builds wss://HOST/ws.
 * A URL that already names its scheme (Schwab, the simulator, test servers) is used as given.
 */
export function streamerSocketUrl(value: string): string {
  const trimmed = value.trim();
  if (/^wss?:\/\//i.test(trimmed)) return trimmed;
  if (trimmed === '' || /[\s/?#]/.test(trimmed)) throw new Error(`streamer address '${value}' is neither a host nor a ws:// URL`);
  return `wss://${trimmed}/ws`;
}

/**
 * The page a browser-mode login ends on: the broker redirected this tab to the callback, and the
 * app is already open in another tab, so this one only says it may be closed (redirecting it to
 * the app would open a second copy). Static text: the page carries nothing from the request.
 */
export function signedInPage(): string {
  return '<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>Tapedeck: signed in</title><h1>Signed in — you can close this tab</h1><p>Tapedeck is streaming with the new login in its own tab.</p></html>';
}

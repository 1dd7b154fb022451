/** The simulator's authorize page, driven the way a person does it in a browser, with fetch. */
import assert from 'node:assert/strict';

/** What a person does in the browser: open the authorize page, type user and password, click Accept. */
export async function acceptInBrowser(authorizeUrl: string): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  assert.match(html, /id="username"/);
  const hidden: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    hidden[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  }
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? new URL(authorizeUrl).pathname;
  const res = await fetch(new URL(action.replace(/&amp;/g, '&'), authorizeUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, username: 'trader', password: 'secret' }).toString(),
    redirect: 'manual',
  });
  assert.equal(res.status, 302);
  return res.headers.get('location') ?? '';
}

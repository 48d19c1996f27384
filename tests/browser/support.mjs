// What the portal tests share: the server under test, Debian's Chromium
// driven by playwright-core (no browser download), GraphQL as a demo staff
// user, axe-core run inside a page, screenshots, resident ID numbers.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** The server's origin, e.g. http://127.0.0.1:41234 (run.sh sets it). */
export const BASE = (process.env.GONGKAI_URL ?? '').replace(/\/+$/, '');
if (!BASE) throw new Error('GONGKAI_URL must name the server under test, e.g. http://127.0.0.1:8000');

/** Where each page's screenshot goes (CI keeps the folder as an artefact). */
export const SCREENSHOTS = process.env.GONGKAI_SCREENSHOTS
  ?? path.resolve(import.meta.dirname, '../../target/screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

/** The smallest phone the portal is built for. */
export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1024, height: 768 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    // Root in CI: Chromium's sandbox needs a user namespace it may not get.
    chromiumSandbox: false,
  });
}

/**
 * A page at `viewport`, with every dialog recorded (and dismissed) and
 * every request to another host than the server aborted and recorded.
 */
export async function openPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  page.dialogs = [];
  page.on('dialog', (dialog) => {
    page.dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.foreign = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    const { origin, protocol } = new URL(url);
    // Only the network counts: data: URLs and the browser's own PDF viewer
    // (chrome-extension:) are no other host.
    if (origin === BASE || !/^(https?|wss?):$/.test(protocol)) return route.continue();
    page.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  return page;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** POSTs a GraphQL document; throws on errors so a test sees them. */
export async function gql(query, variables = {}, token) {
  const response = await fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The demo accounts (README, "Demo data"). */
export const CLERK = ['nancun.clerk', 'demo-clerk-2026'];
export const APPROVER = ['nancun.approver', 'demo-approver-2026'];

export async function login([username, password]) {
  const data = await gql(
    'mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }',
    { u: username, p: password },
  );
  return data.login.accessToken;
}

/** The id of the demo organisation with this code (e.g. PYNC). */
export async function organizationId(code) {
  const data = await gql('{ organizations { id code } }');
  return data.organizations.find((o) => o.code === code).id;
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page, as readable
 * lines. axe is evaluated through the DevTools protocol, which the page's
 * CSP (no inline script) does not govern, so the page is tested as served.
 */
export async function seriousViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}):\n    ${v.nodes.join('\n    ')}`);
}

/** How far the page is wider than its viewport (0 when it does not scroll sideways). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * A valid 18-digit resident ID (GB 11643): 番禺 440113, the birth date,
 * a sequence number and the ISO 7064 MOD 11-2 check character.
 */
export function residentId(birth = '19900307', sequence = Math.floor(Math.random() * 1000)) {
  const body = `440113${birth}${String(sequence).padStart(3, '0')}`;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * WEIGHTS[i], 0);
  return body + CHECK[sum % 11];
}

/** The same number with a wrong check character. */
export function brokenResidentId() {
  const valid = residentId();
  const wrong = CHECK[(CHECK.indexOf(valid[17]) + 1) % 11];
  return valid.slice(0, 17) + wrong;
}

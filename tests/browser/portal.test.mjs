// The public portal and the explorer in a real Chromium against a demo
// server: GONGKAI_URL=http://127.0.0.1:8000 node --test portal.test.mjs
// (run.sh starts the server). Selectors are labels, roles and visible text,
// the way a person finds things on the page.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import {
  APPROVER, BASE, CLERK, DESKTOP, PHONE, brokenResidentId, gql, horizontalOverflow, launch,
  login, openPage, organizationId, residentId, screenshot, seriousViolations,
} from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const CJK = /[\u4e00-\u9fff]/;

/** The results of the catalogue page: each item's link text and address. */
async function results(page) {
  return page.getByRole('main').getByRole('listitem').getByRole('link').evaluateAll(
    (links) => links.map((a) => ({ title: a.textContent, href: a.getAttribute('href') })),
  );
}

async function search(page, words) {
  await page.getByLabel('关键词').fill(words);
  await page.getByRole('button', { name: '检索' }).click();
  await page.waitForURL((url) => url.searchParams.get('q') === words);
}

/** The count line, e.g. 共 412 条，关键词“安全”. */
async function countLine(page) {
  return page.getByText(/^共约? \d+ 条/).textContent();
}

test('search 安全, open the first result, back, next page, and download an item’s PDF', async () => {
  const page = await openPage(browser);
  await page.goto(`${BASE}/`);
  await screenshot(page, 'home');
  await search(page, '安全');
  const firstPage = await results(page);
  assert.ok(firstPage.length === 20, `a full first page: ${firstPage.length}`);
  const marked = await page.getByRole('main').locator('mark').allTextContents();
  assert.ok(marked.includes('安全'), `the matched word is highlighted: ${marked.slice(0, 5)}`);
  const count = await countLine(page);
  assert.match(count, /关键词“安全”/);
  await screenshot(page, 'search');

  await page.getByRole('link', { name: firstPage[0].title, exact: true }).first().click();
  await page.waitForURL(`${BASE}${firstPage[0].href}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), firstPage[0].title);
  const facts = page.getByRole('table', { name: '信息属性' });
  for (const label of ['索引号', '发布机构', '主题分类', '成文日期', '发布日期', '文号']) {
    assert.equal(await facts.getByRole('rowheader', { name: label }).count(), 1, label);
  }

  await page.goBack();
  assert.equal(await page.getByLabel('关键词').inputValue(), '安全');
  assert.deepEqual(await results(page), firstPage);

  await page.getByRole('link', { name: '下一页' }).click();
  await page.waitForURL((url) => url.searchParams.has('after'));
  const secondPage = await results(page);
  assert.ok(secondPage.length > 0, 'a second page');
  const seen = new Set(firstPage.map((r) => r.href));
  assert.ok(secondPage.every((r) => !seen.has(r.href)), 'the next page shows other items');
  assert.equal(await countLine(page), count, 'the same count on every page');
  assert.ok(await page.getByRole('link', { name: '首页' }).isVisible());

  // 安全生产信息 is written only inside the work plan's PDF (its second page).
  await search(page, '安全生产信息');
  const plan = await results(page);
  assert.equal(plan.length, 1, JSON.stringify(plan));
  await page.getByRole('link', { name: plan[0].title }).click();
  await page.getByRole('heading', { name: '附件' }).waitFor();
  await screenshot(page, 'item');
  const id = new URL(page.url()).pathname.split('/').pop();
  const pdfLink = page.getByRole('link', { name: /\.pdf$/ });
  const href = await pdfLink.getAttribute('href');
  // A PDF opens inline, in the browser's viewer; the bytes are those the
  // browser received (read on the way, since the viewer keeps them).
  const received = new Promise((resolve) => {
    page.route(`${BASE}${href}`, async (route) => {
      const response = await route.fetch();
      resolve({ headers: response.headers(), body: await response.body() });
      await route.fulfill({ response });
    });
  });
  await pdfLink.click();
  const opened = await received;
  assert.match(opened.headers['content-disposition'], /^inline/);
  const downloaded = opened.body;
  assert.equal(downloaded.subarray(0, 5).toString(), '%PDF-');

  const served = await fetch(`${BASE}${href}`);
  assert.equal(served.headers.get('content-type'), 'application/pdf');
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(downloaded), 'the same bytes as the file URL');
  const { disclosure } = await gql(
    'query($id: ID!) { disclosure(id: $id) { attachments { byteSize sha256 downloadUrl } } }', { id },
  );
  const stored = disclosure.attachments.find((a) => a.downloadUrl === href);
  assert.equal(downloaded.length, stored.byteSize);
  assert.equal(createHash('sha256').update(downloaded).digest('hex'), stored.sha256, 'the stored file');
  assert.deepEqual(page.foreign, []);
  await page.context().close();
});

/** Fills the application form for 南村镇 as a citizen with a resident ID. */
async function fillApplication(page, idNumber) {
  await page.goto(`${BASE}/apply`);
  const organization = page.getByLabel('向哪个机关申请');
  const nancun = await organization.locator('option', { hasText: '南村镇人民政府' }).getAttribute('value');
  await organization.selectOption(nancun);
  await page.getByLabel('申请人类型').selectOption({ label: '公民' });
  await page.getByLabel('姓名或名称').fill('陈小明');
  await page.getByLabel('证件类型').selectOption({ label: '居民身份证' });
  await page.getByLabel('证件号码').fill(idNumber);
  await page.getByLabel('联系电话').fill('13800138000');
  await page.getByLabel(/所需政府信息/).fill('请提供南村镇2026年村道硬底化工程的招标公告和中标结果。');
}

/** The receipt after a submission: tracking number and query code. */
async function receipt(page) {
  await page.getByRole('heading', { name: '申请已提交' }).waitFor();
  const value = (term) => page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
  const trackingNo = (await value('申请编号').textContent()).trim();
  const queryCode = (await value('查询码').count()) ? (await value('查询码').textContent()).trim() : null;
  return { trackingNo, queryCode };
}

/** Submits a valid application through the form; its receipt. */
async function submitApplication(page) {
  await fillApplication(page, residentId());
  await page.getByRole('button', { name: '提交申请' }).click();
  return receipt(page);
}

async function applicationCount(token, nancun) {
  const data = await gql(
    'query($org: ID!) { applications(filter: { organizationId: $org }) { totalCount } }',
    { org: nancun }, token,
  );
  return data.applications.totalCount;
}

test('the application form: a receipt once, the Chinese error by its field, one application per double click', async () => {
  const page = await openPage(browser);
  const clerk = await login(CLERK);
  const nancun = await organizationId('PYNC');

  await fillApplication(page, residentId());
  await screenshot(page, 'apply');
  await page.getByRole('button', { name: '提交申请' }).click();
  const first = await receipt(page);
  assert.match(first.trackingNo, /^PYNC-\d{4}-\d{5}$/);
  assert.ok(first.queryCode && first.queryCode.length >= 6, `a query code: ${first.queryCode}`);
  assert.match(await page.getByRole('alert').textContent(), /保存/, 'the prompt to keep them');
  await screenshot(page, 'applied');

  // A wrong check character: the server's message, in Chinese, tied to the field.
  const broken = brokenResidentId();
  await fillApplication(page, broken);
  const before = await applicationCount(clerk, nancun);
  const [refusal] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: '提交申请' }).click(),
  ]);
  assert.equal(refusal.status(), 422);
  const idField = page.getByLabel('证件号码');
  assert.equal(await idField.inputValue(), broken, 'what was typed is kept');
  assert.equal(await idField.getAttribute('aria-invalid'), 'true');
  const describedBy = await idField.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the field names its error');
  const message = await page.locator(`[id="${describedBy}"]`).textContent();
  assert.match(message, CJK, message);
  const nextToField = await idField.evaluate(
    (input, id) => input.closest('.field, fieldset, div').contains(document.getElementById(id)),
    describedBy,
  );
  assert.ok(nextToField, 'the message sits beside the field');
  assert.equal(await page.getByLabel('姓名或名称').inputValue(), '陈小明');
  assert.equal(await applicationCount(clerk, nancun), before, 'nothing was created');
  await screenshot(page, 'apply-error');

  // A person's double click on a slow line: the second click 100 ms after
  // the first (an instant one Chromium sends once), while the answer to the
  // first is still on its way (held back 500 ms here).
  await fillApplication(page, residentId());
  let posts = 0;
  await page.route('**/apply', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    posts += 1;
    const response = await route.fetch();
    await new Promise((resolve) => { setTimeout(resolve, 500); });
    return route.fulfill({ response });
  });
  await page.getByRole('button', { name: '提交申请' }).dblclick({ delay: 100 });
  const doubled = await receipt(page);
  assert.equal(posts, 2, 'the form was posted twice');
  assert.equal(await applicationCount(clerk, nancun), before + 1, 'one application');
  const { applications } = await gql(
    'query($no: String!) { applications(filter: { trackingNo: $no }) { totalCount } }',
    { no: doubled.trackingNo }, clerk,
  );
  assert.equal(applications.totalCount, 1);
  // The page shown is the answer to the second post: a replay within the
  // day shows the same code again.
  assert.ok(doubled.queryCode, 'the applicant still sees the query code');
  await page.context().close();
});

test('tracking: status and working days left; a wrong code reads like an unknown number', async () => {
  const page = await openPage(browser);
  const submitted = await submitApplication(page);
  const track = async (trackingNo, queryCode) => {
    await page.goto(`${BASE}/track`);
    await page.getByLabel('申请编号').fill(trackingNo);
    await page.getByLabel('查询码').fill(queryCode);
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.waitForLoadState();
  };
  const value = (term) => page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');

  await track(submitted.trackingNo, submitted.queryCode);
  assert.equal(await page.getByRole('heading', { name: `申请 ${submitted.trackingNo}` }).count(), 1);
  assert.equal(await value('办理状态').textContent(), '已受理，正在办理');
  const clerk = await login(CLERK);
  const { applications } = await gql(
    'query($no: String!) { applications(filter: { trackingNo: $no }) { edges { node { workingDaysLeft dueOn } } } }',
    { no: submitted.trackingNo }, clerk,
  );
  const { workingDaysLeft, dueOn } = applications.edges[0].node;
  assert.equal(await value('剩余工作日').textContent(), `还有 ${workingDaysLeft} 个工作日`);
  assert.match(await value('答复期限').textContent(), new RegExp(`^${dueOn}`));
  assert.ok(await page.getByRole('heading', { name: '期限是怎样计算的' }).isVisible());
  assert.ok(!page.url().includes(submitted.queryCode), 'the code is not in the address');
  await screenshot(page, 'track');

  const last = submitted.queryCode.at(-1);
  const wrongCode = submitted.queryCode.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  await track(submitted.trackingNo, wrongCode);
  const wrong = await page.getByRole('alert').textContent();
  assert.match(wrong, CJK);
  assert.equal(await page.getByText('办理状态').count(), 0, 'nothing of the application shows');

  await track(submitted.trackingNo.replace(/\d{5}$/, '99999'), submitted.queryCode);
  assert.equal(await page.getByRole('alert').textContent(), wrong, 'the same message');
  await page.context().close();
});

test('the explorer runs { organizations { name } } with every other host blocked', async () => {
  const page = await openPage(browser);
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('pageerror', (e) => failed.push(`page error: ${e.message}`));
  await page.goto(`${BASE}/explorer`);
  const run = page.getByRole('button', { name: /Execute query/ });
  await run.waitFor();
  await page.getByRole('textbox').first().focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('{ organizations { name } }');
  await run.click();
  const result = page.getByRole('region', { name: 'Result Window' });
  await result.getByText('南村镇人民政府').waitFor();
  assert.match(await result.textContent(), /"organizations"/);
  await screenshot(page, 'explorer');
  assert.deepEqual(page.foreign, [], 'no request left the server');
  assert.deepEqual(failed, []);
  await page.context().close();
});

test('a title of <img src=x onerror=alert(1)> shows as text and opens no dialog', async () => {
  const title = '<img src=x onerror=alert(1)>';
  const [clerk, approver] = [await login(CLERK), await login(APPROVER)];
  const { disclosureCategories } = await gql('{ disclosureCategories { id code } }');
  const notices = disclosureCategories.find((c) => c.code === 'TZGG').id;
  const { createDisclosure } = await gql(
    'mutation($i: DisclosureInput!) { createDisclosure(input: $i) { id } }',
    { i: { organizationId: await organizationId('PYNC'), categoryId: notices, title,
      body: '<script>alert(2)</script>\n第二段', formedOn: '2026-11-02' } },
    clerk,
  );
  await gql('mutation($id: ID!) { publishDisclosure(id: $id) { status } }', { id: createDisclosure.id }, approver);

  const page = await openPage(browser);
  const injected = () => page.evaluate(() => document.querySelectorAll('main img, main script, [onerror]').length);
  await page.goto(`${BASE}/disclosures/${createDisclosure.id}`);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), title);
  assert.ok(await page.getByText('<script>alert(2)</script>').isVisible());
  assert.equal(await injected(), 0);

  await page.goto(`${BASE}/`);
  await search(page, 'onerror');
  const found = await results(page);
  assert.ok(found.some((r) => r.title === title), JSON.stringify(found));
  assert.equal(await injected(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(page.dialogs, []);
  await page.context().close();
});

test('axe-core finds nothing serious and nothing scrolls sideways at 360 px', async () => {
  const setup = await openPage(browser);
  const submitted = await submitApplication(setup);
  await setup.context().close();
  const { disclosures } = await gql(
    '{ disclosures(filter: { search: "满意度回访" }, first: 1) { edges { node { id } } } }',
  );
  const item = `/disclosures/${disclosures.edges[0].node.id}`;

  const pages = [
    ['home', async (page) => { await page.goto(`${BASE}/?q=${encodeURIComponent('安全')}`); }],
    ['item', async (page) => { await page.goto(`${BASE}${item}`); }],
    ['apply', async (page) => { await page.goto(`${BASE}/apply`); }],
    ['apply-error', async (page) => {
      await fillApplication(page, brokenResidentId());
      await page.getByRole('button', { name: '提交申请' }).click();
      await page.getByLabel('证件号码').and(page.locator('[aria-invalid="true"]')).waitFor();
    }],
    ['track', async (page) => {
      await page.goto(`${BASE}/track`);
      await page.getByLabel('申请编号').fill(submitted.trackingNo);
      await page.getByLabel('查询码').fill(submitted.queryCode);
      await page.getByRole('button', { name: '查询', exact: true }).click();
      await page.getByText('办理状态').waitFor();
    }],
    ['annual-reports', async (page) => { await page.goto(`${BASE}/annual-reports`); }],
    ['guide', async (page) => { await page.goto(`${BASE}/guide`); }],
  ];
  const problems = [];
  for (const viewport of [PHONE, DESKTOP]) {
    const page = await openPage(browser, viewport);
    for (const [name, open] of pages) {
      await open(page);
      const where = `${name} at ${viewport.width} px`;
      problems.push(...(await seriousViolations(page)).map((v) => `${where}: ${v}`));
      if (viewport === PHONE) {
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) problems.push(`${where}: ${overflow} px of horizontal scroll`);
      }
      await screenshot(page, `${name}-${viewport.width}`);
      if (page.foreign.length) problems.push(`${where}: requests to ${page.foreign}`);
    }
    await page.context().close();
  }
  assert.deepEqual(problems, []);
});

import { expect, openContext, test } from './support/fixtures';
import { saveScreenshot } from './support/screenshots';

test('a Chinese system shows Simplified Chinese, and the language setting overrides it', async ({ browser, server, newUser }, testInfo) => {
  const user = await newUser('wang', '王小明');
  const { page, context } = await openContext(browser, server.url, 'zh-CN');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('heading', { name: '首页', level: 1 })).toBeAttached();
  await expect(page.getByRole('heading', { name: '联系人' })).toBeVisible();
  await expect(page.getByRole('status', { name: '连接' })).toHaveText('在线');
  await expect(page.getByRole('button', { name: '通话记录' })).toBeVisible();
  await saveScreenshot(page, testInfo, '08-home-zh-CN');

  await page.getByRole('button', { name: '设置' }).click();
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  await page.getByRole('tab', { name: '通用' }).click();
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByLabel('Language').selectOption('system');
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  await context.close();
});

import { chromium } from '@playwright/test';
const url = process.argv[2] ?? 'http://127.0.0.1:5173/';
const out = process.argv[3] ?? '/tmp/shot.png';
const wait = Number(process.argv[4] ?? 8000);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-quic', '--enable-unsafe-webgpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForTimeout(wait);
if (process.argv[5]) { for (const name of process.argv[5].split(',')) { await page.getByRole('button', { name, exact: true }).click(); } await page.waitForTimeout(Number(process.argv[6] ?? 10000)); }
await page.screenshot({ path: out, fullPage: true });
console.log(await page.getByTestId('backend').textContent().catch(() => 'no backend'));
await browser.close();

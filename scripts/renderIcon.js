// @ts-check
// Renders media/icon.svg to media/icon.png (128x128, transparent corners)
// with headless Chromium through playwright-core. Run: node scripts/renderIcon.js
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const svg = fs.readFileSync(path.join(__dirname, '..', 'media', 'icon.svg'), 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const out = path.join(__dirname, '..', 'media', 'icon.png');
    await page.locator('svg').screenshot({ path: out, omitBackground: true });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});

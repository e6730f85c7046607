// Renders the logo into public/ (favicon.ico, icon.svg, apple-touch-icon.png) with the same
// Chromium the browser tests use. Run it after changing the logo: `npx tsx scripts/render-icons.ts`.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { launchBrowser } from "../tests/helpers/browser";

const MARK = `<path d="M17 11c-5.5 0-10 3.7-10 8.3 0 2.6 1.4 4.9 3.7 6.4l-.9 2.8 3.3-1.7c1.2.4 2.5.6 3.9.6h.6a7.4 7.4 0 0 1-.3-2c0-4.6 4.3-8.3 9.6-8.3h.6C26.6 13.7 22.3 11 17 11Z" fill="#fff"/><path d="M33 24.4c0-3.8-3.7-6.9-8.3-6.9s-8.3 3.1-8.3 6.9 3.7 6.9 8.3 6.9c1 0 2-.1 2.9-.4l2.7 1.4-.7-2.3c2-1.3 3.4-3.3 3.4-5.6Z" fill="#fff" fill-opacity=".85"/><circle cx="13.6" cy="17.6" r="1.3" fill="#07C160"/><circle cx="20.4" cy="17.6" r="1.3" fill="#07C160"/>`;
// The same drawing as components/logo.tsx. Apple rounds the corners itself, so its icon is square.
const svg = (rx: number) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="${rx}" fill="#07C160"/>${MARK}</svg>`;

/** An .ico holding PNG images (supported by every browser that shows favicons). */
function ico(pngs: Array<{ size: number; data: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.data)]);
}

async function main() {
  const out = path.resolve("public");
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const render = async (markup: string, size: number) => {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${markup.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`,
      );
      return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    };
    writeFileSync(path.join(out, "icon.svg"), svg(10) + "\n");
    writeFileSync(path.join(out, "apple-touch-icon.png"), await render(svg(0), 180));
    const sizes = [16, 32, 48];
    const pngs = [];
    for (const size of sizes) pngs.push({ size, data: await render(svg(10), size) }); // one page: in turn
    writeFileSync(path.join(out, "favicon.ico"), ico(pngs));
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

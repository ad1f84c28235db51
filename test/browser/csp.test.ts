// A page whose Content-Security-Policy forbids compiling WebAssembly (script-src 'self', no
// 'wasm-unsafe-eval'): importing lowrank must still work (nothing compiles at import), and the
// first call must throw a FactorisationError that a try/catch can handle and that names the fix.
// With 'wasm-unsafe-eval' allowed the same page computes.
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { launch } from "./chromium.js";

const DIST = fileURLToPath(new URL("../../dist/", import.meta.url));
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>`;
// The page's script: import, call, and report what happened in the document's title.
const SCRIPT = `import("/dist/index.js").then((lowrank) => {
  try {
    document.title = "ok " + lowrank.svd([[3, 0], [0, 4]], { vectors: "none" }).S.join(",");
  } catch (error) {
    document.title = "caught " + error.name + " " + error.code + ": " + error.message;
  }
}, (error) => { document.title = "import failed: " + error.message; });`;

let server: Server;
let origin = "";
let browser: Awaited<ReturnType<typeof launch>>;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const csp = url.searchParams.get("wasm") === "allowed" ? "script-src 'self' 'wasm-unsafe-eval'" : "script-src 'self'";
    if (url.pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp });
      res.end(PAGE);
    } else if (url.pathname === "/page.js") {
      res.writeHead(200, { "Content-Type": "text/javascript" });
      res.end(SCRIPT);
    } else if (url.pathname.startsWith("/dist/") && !url.pathname.includes("..")) {
      try {
        const body = await readFile(join(DIST, url.pathname.slice("/dist/".length)));
        res.writeHead(200, { "Content-Type": "text/javascript" });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launch({ width: 800, height: 600 });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function titleOf(url: string): Promise<string> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.title !== "", undefined, { timeout: 30_000 });
  const title = await page.title();
  await page.close();
  return title;
}

test("without 'wasm-unsafe-eval': import succeeds, the first call throws a catchable UNSUPPORTED naming the fix", async () => {
  const title = await titleOf(`${origin}/`);
  expect(title).toMatch(/^caught FactorisationError UNSUPPORTED: this host refused to compile lowrank's WebAssembly kernel \(.+\); in a web page, allow it with 'wasm-unsafe-eval' in the Content-Security-Policy's script-src$/);
});

test("with 'wasm-unsafe-eval': the same page computes", async () => {
  expect(await titleOf(`${origin}/?wasm=allowed`)).toBe("ok 4,3");
});

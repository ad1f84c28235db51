// `npm run demo`: a tiny static server for the browser demo (demo/) and the built library
// (dist/), with no dependency. It serves the repository root so the demo's worker can import
// /dist/index.js exactly as a user's page would import the package.
//
//   node scripts/serve-demo.mjs [--port N]     (or PORT=N; default 8080; 0 picks a free port)
//
// Bound to 127.0.0.1 only: it serves a whole source tree and is meant for this machine.
//
// Every response carries Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
// require-corp, so the page is cross-origin isolated: browsers then give it SharedArrayBuffer, and
// the demo's pool runs the threaded kernel on every core (docs/parallel.md). startServer({
// isolated: false }) leaves them out (the browser test of a pool without shared memory).
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HOST = "127.0.0.1";
const DEFAULT_PORT = 8080;
const REPO_ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

// Module scripts and workers are refused by browsers unless served with a JavaScript type,
// and WebAssembly.instantiateStreaming needs application/wasm.
const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

function send(res, status, text, headers = {}) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", ...headers });
  res.end(`${text}\n`);
}

/** Is `path` the root itself or inside it? (A bare prefix test would let /repo-evil through.) */
function inside(root, path) {
  return path === root || path.startsWith(root + sep);
}

/** The headers that make a page cross-origin isolated (and let it load its same-origin files under COEP). */
const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

async function handle(root, isolation, req, res) {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "method not allowed", { Allow: "GET, HEAD" });
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/") return send(res, 302, "see /demo/", { Location: "/demo/" });
  let pathname;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return send(res, 400, "bad request: malformed percent-encoding");
  }
  if (pathname.includes("\0")) return send(res, 400, "bad request");
  // Resolve lexically first, then again through symlinks: both must stay inside the root.
  const lexical = resolve(root, `.${pathname}`);
  if (!inside(root, lexical)) return send(res, 403, "forbidden: outside the served root");
  let file;
  let info;
  try {
    file = await realpath(lexical);
    if (!inside(root, file)) return send(res, 403, "forbidden: outside the served root");
    info = await stat(file);
    if (info.isDirectory()) {
      // Relative URLs in an index page (./main.js) resolve against the directory only with a
      // trailing slash, so redirect /demo to /demo/ rather than serving it there.
      if (!pathname.endsWith("/")) return send(res, 301, "moved", { Location: `${url.pathname}/${url.search}` });
      file = join(file, "index.html");
      info = await stat(file);
    }
  } catch {
    return send(res, 404, `not found: ${pathname}`);
  }
  if (!info.isFile()) return send(res, 404, `not found: ${pathname}`);
  res.writeHead(200, {
    "Content-Type": MIME_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "Content-Length": info.size,
    // A development server: always serve what is on disk now (after `npm run build`).
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...isolation,
  });
  if (req.method === "HEAD") return res.end();
  createReadStream(file).on("error", () => res.destroy()).pipe(res);
}

/**
 * Starts the server on 127.0.0.1. Port 0 picks a free port.
 * @param {{ port?: number, root?: string, isolated?: boolean }} [options] root defaults to the
 *   repository root; isolated (default true) sends the cross-origin isolation headers
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>} url ends in /demo/
 */
export async function startServer({ port = DEFAULT_PORT, root = REPO_ROOT, isolated = true } = {}) {
  const realRoot = await realpath(resolve(root));
  const isolation = isolated ? ISOLATION_HEADERS : {};
  const server = createServer((req, res) => {
    handle(realRoot, isolation, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "internal error");
      else res.destroy();
    });
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, HOST, () => {
      server.off("error", fail);
      ok();
    });
  });
  const actual = server.address().port;
  return {
    url: `http://${HOST}:${actual}/demo/`,
    port: actual,
    close: () =>
      new Promise((ok, fail) => {
        server.close((error) => (error ? fail(error) : ok()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      }),
  };
}

function portFromArgs(argv, env) {
  const i = argv.indexOf("--port");
  const given = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--port="))?.slice(7) ?? env.PORT;
  if (given === undefined) return DEFAULT_PORT;
  const port = Number(given);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port / PORT must be an integer in [0, 65535]; got ${JSON.stringify(given)}`);
  }
  return port;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { url } = await startServer({ port: portFromArgs(process.argv.slice(2), process.env) });
    console.log(`lowrank demo: ${url}  (Ctrl-C to stop)`);
  } catch (error) {
    console.error(`serve-demo: ${error.message}`);
    process.exit(1);
  }
}

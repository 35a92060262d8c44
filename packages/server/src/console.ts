import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

/**
 * The console's pages run no inline script and load nothing from elsewhere: everything is a hashed file under
 * /app/assets. React sets element styles through the DOM (not the `style` attribute), so `style-src 'self'` holds too.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Where the built console is: `dist/` of the `@waypost/console` package as the server resolves it (the workspace
 * link after `pnpm build`), else beside this package in a checkout (`packages/console/dist`, from `src/` or `dist/`).
 */
export function consoleDistDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@waypost/console/package.json')), 'dist');
  } catch {
    return fileURLToPath(new URL('../../console/dist', import.meta.url));
  }
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Waypost console not built</title></head>
<body><h1>The Waypost console is not built</h1>
<p>Run <code>pnpm build</code> in the Waypost checkout, then reload this page. The API under /v1 works meanwhile.</p>
</body></html>
`;

/**
 * `GET /app/*`: the console. Hashed assets are cached for a year; every other path that is not a file is a deep link
 * into the app, answered with `index.html`, which is revalidated on every load so that a new release shows at once.
 */
export function consoleRoutes(app: express.Express, dir: string = consoleDistDir()): void {
  const index = join(dir, 'index.html');
  const assets = join(dir, 'assets') + sep;
  const serveFiles = express.static(dir, {
    index: false,
    redirect: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('Cache-Control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const router = express.Router({ strict: true });
  router.use((req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    if (req.method !== 'GET' && req.method !== 'HEAD') return next('router');
    next();
  });
  router.get('/', (req, res, next) => {
    // `/app` → `/app/`, so that the page's relative URLs and the router's base agree.
    if (!req.originalUrl.split('?')[0]!.endsWith('/')) return res.redirect(301, `${req.baseUrl}/`);
    next();
  });
  router.use(serveFiles);
  router.use((req, res, next) => {
    // A missing hashed file is an old page asking for an old release: a 404, never the HTML shell in its place.
    if (req.path.startsWith('/assets/')) return next('router');
    if (!existsSync(index)) {
      res.status(503).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '60' }).send(NOT_BUILT);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, { cacheControl: false });
  });
  app.use('/app', router);
}

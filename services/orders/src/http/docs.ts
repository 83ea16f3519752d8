import { dirname } from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';
import { openApiDocument } from './openapi';

/**
 * API docs: the OpenAPI document as JSON, and a Swagger UI page served from the installed
 * swagger-ui-dist package (no CDN). The page loads only same-origin scripts, so no inline script is needed.
 */
const BASE = '/api/docs';

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Pizza orders API</title>
    <link rel="stylesheet" href="${BASE}/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="${BASE}/assets/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${BASE}/assets/swagger-ui-bundle.js"></script>
    <script src="${BASE}/assets/swagger-ui-standalone-preset.js"></script>
    <script src="${BASE}/init.js"></script>
  </body>
</html>
`;

// validatorUrl null: the default badge is an image from another host, which the CSP would block anyway.
const INIT = `window.ui = SwaggerUIBundle({
  url: '${BASE}/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

export function docsRoutes(): Router {
  const router = Router();
  // Helmet's default CSP, less upgrade-insecure-requests: the page is also opened over plain http
  // (npm start on another machine's address), where that directive would send its assets to https.
  router.use(BASE, helmet.contentSecurityPolicy({ directives: { upgradeInsecureRequests: null } }));
  const document = openApiDocument();
  router.get(`${BASE}/openapi.json`, (_req, res) => {
    res.json(document);
  });
  router.get(BASE, (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get(`${BASE}/init.js`, (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  const assets = dirname(require.resolve('swagger-ui-dist'));
  router.use(`${BASE}/assets`, express.static(assets, { index: false, fallthrough: true, maxAge: '1h' }));
  return router;
}

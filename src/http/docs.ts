import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'

// Only the package's folder is needed: importing `swagger-ui-dist` itself would evaluate the
// whole Swagger UI bundle in the server (~40 MB of resident memory per process) to learn it.
const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

// Government networks are closed: the docs page loads everything from the gateway itself.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
}

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>API 文档 · 跨域通办网关</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' })\n`

export function docsRoutes() {
  const app = new Hono()
  const dir = SWAGGER_DIR
  app.get('/docs', (c) => c.html(PAGE))
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
  app.get('/docs/:asset', async (c) => {
    const asset = c.req.param('asset')
    const type = ASSETS[asset]
    if (!type) return c.notFound()
    return c.body(await readFile(join(dir, asset)), 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=86400',
    })
  })
  return app
}

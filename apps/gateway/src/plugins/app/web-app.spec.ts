import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from '@session/config';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app';

describe('the built web app served by the gateway', () => {
  const root = mkdtempSync(join(tmpdir(), 'gateway-web-'));
  let app: FastifyInstance;
  let bare: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><div id="root"></div><script type="module" src="/assets/app-1a2b.js"></script>',
    );
    writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log(1)');
    // Nothing listens on port 1: these specs never reach the session service.
    app = await buildApp(loadGatewayConfig({ SESSION_SERVICE_URL: '127.0.0.1:1', WEB_ROOT: root }));
    bare = await buildApp(loadGatewayConfig({ SESSION_SERVICE_URL: '127.0.0.1:1' }), { webRoot: null });
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml' };

  it('serves index.html at / with a CSP that lets the app run', async () => {
    const res = await app.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="root">');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves hashed assets as immutable', async () => {
    const res = await app.inject({ url: '/assets/app-1a2b.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('falls back to index.html for client-side routes a browser navigates to', async () => {
    const res = await app.inject({ url: '/settings/profile?tab=1', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers 404 problems for unknown API paths, non-HTML requests and other methods', async () => {
    for (const [method, url, headers] of [
      ['GET', '/api/nothing', html],
      ['GET', '/api', html],
      ['GET', '/missing.png', { accept: 'image/*' }],
      ['POST', '/settings', html],
    ] as const) {
      const res = await app.inject({ method, url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect((await app.inject({ url: '/api/nothing' })).headers['cache-control']).toBe('no-store');
  });

  it('serves no web app when there is none', async () => {
    const res = await bare.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', instance: '/' });
  });
});

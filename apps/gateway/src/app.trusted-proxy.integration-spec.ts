import { startEdgeStack, type EdgeStack, type ListeningGateway } from './testing/edge-stack';

const UNKNOWN_TOKEN = `0b6f7b4e-93c5-4c8e-9d4f-2a6c1f0e8b7a.${'A'.repeat(43)}`;
const VICTIM = '198.51.100.7';

/**
 * The spec's HTTP client plays the one reverse proxy in front (TRUST_PROXY=1):
 * it appends the address it "saw" as the right-most X-Forwarded-For entry,
 * after whatever the client sent, exactly as nginx's $proxy_add_x_forwarded_for does.
 */
const viaProxy = (clientSent: string | null, seenAddress: string) => (clientSent ? `${clientSent}, ${seenAddress}` : seenAddress);

describe('behind a TLS-terminating reverse proxy (outside clients, real session service)', () => {
  let edge: EdgeStack;
  let behindOne: ListeningGateway;
  beforeAll(async () => {
    edge = await startEdgeStack();
    behindOne = await edge.listen({ TRUST_PROXY: '1', CREATE_RATE_LIMIT: '3', INVALID_TOKEN_LIMIT: '3' });
  });
  afterAll(async () => edge?.close());

  const create = (gateway: ListeningGateway, headers: Record<string, string>) =>
    fetch(`${gateway.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

  it('does not let a client escape the create limit by rotating the left-most X-Forwarded-For entry', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++)
      statuses.push((await create(behindOne, { 'x-forwarded-for': viaProxy(`6.6.6.${i}`, '203.0.113.9') })).status);
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429]);
    // Another real client behind the same proxy is unaffected.
    expect((await create(behindOne, { 'x-forwarded-for': viaProxy(null, '203.0.113.10') })).status).toBe(201);
  });

  it("does not lock a victim out when an attacker names the victim's address", async () => {
    const probe = (xff: string, token = UNKNOWN_TOKEN) =>
      fetch(`${behindOne.url}/api/sessions/current`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': xff } });
    const attacker = [];
    for (let i = 0; i < 8; i++) attacker.push((await probe(viaProxy(VICTIM, '203.0.113.66'))).status);
    expect(attacker).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);

    const created = await create(behindOne, { 'x-forwarded-for': viaProxy(null, VICTIM) });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    expect((await probe(viaProxy(null, VICTIM), token)).status).toBe(200);
  });

  it('accepts cookie writes from the HTTPS public origin with PUBLIC_ORIGIN, and only from it', async () => {
    const tls = await edge.listen({ PUBLIC_ORIGIN: 'https://app.example', COOKIE_SECURE: 'true', TRUST_PROXY: '1' });
    const browser = { origin: 'https://app.example', 'sec-fetch-site': 'same-origin', 'x-forwarded-for': viaProxy(null, '203.0.113.20') };
    const created = await create(tls, browser);
    expect(created.status).toBe(201);
    const cookie = created.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^__Host-session=/);
    const patch = (headers: Record<string, string>) =>
      fetch(`${tls.url}/api/sessions/current/data`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: '{"n":1}',
      });
    expect((await patch(browser)).status).toBe(200);
    const foreign = await patch({ ...browser, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'forbidden_origin' });
    // The origin the gateway itself was reached at is not the public one any more.
    expect((await patch({ ...browser, origin: tls.url })).status).toBe(403);
  });

  it('trusts a listed proxy address the same way as one hop', async () => {
    const listed = await edge.listen({ TRUST_PROXY: '127.0.0.1', CREATE_RATE_LIMIT: '1' });
    expect((await create(listed, { 'x-forwarded-for': viaProxy('6.6.6.1', '203.0.113.40') })).status).toBe(201);
    expect((await create(listed, { 'x-forwarded-for': viaProxy('6.6.6.2', '203.0.113.40') })).status).toBe(429);
    expect((await create(listed, { 'x-forwarded-for': viaProxy(null, '203.0.113.41') })).status).toBe(201);
  });

  it("takes the public scheme and host from the trusted hop's X-Forwarded-Proto/-Host, and from no one else", async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example', origin: 'https://app.example' };
    expect((await create(behindOne, { ...forwarded, 'x-forwarded-for': viaProxy(null, '203.0.113.30') })).status).toBe(201);
    const direct = await edge.listen({});
    const refused = await create(direct, forwarded);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden_origin' });
  });
});

import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { inviteBody } from './helpers/app.ts';
import { launchChromium, seriousViolations, startListeningApp } from './helpers/browser.ts';

// Looked at by a person after a run; nothing asserts on them.
const SHOTS = '/tmp/shots-es';

let t: TestApp & { baseUrl: string };
let browser: Browser;
let flowId: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [t, browser] = await Promise.all([startListeningApp(), launchChromium()]);
  await t.request('PATCH', '/v2/invite-settings', { body: { company_name: 'Acme' } });
  const flow = await t.request('POST', '/v2/flows', {
    body: { type: 'email_sms_template', name: 'Solicitantes', language: 'es' },
  });
  expect(flow.status).toBe(200);
  flowId = flow.body.id;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const send = async () => {
  const res = await t.request('POST', '/v2/invites', {
    body: inviteBody({ phone_number: undefined, flow_id: flowId }),
  });
  expect(res.status).toBe(200);
  return res.body;
};

// English no Spanish page shows; the employers' names use none of these words.
const ENGLISH =
  /\b(the|your|you|and|Connect|Search|Upload|Document|Username|Password|Verify|Secured|employer|invite|expired)\b/;

describe.each([375, 1280])('a Spanish invite in a real browser at %i px', (width) => {
  let context: BrowserContext;
  let page: Page;
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'es-419' });
    page = await context.newPage();
  });
  afterEach(() => context.close());

  /** What a person sees is Spanish, fits the screen, and blocks no one; then a screenshot. */
  async function check(name: string, ...expected: string[]) {
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    const text = await page.locator('body').innerText();
    for (const s of expected) expect(text).toContain(s);
    expect(`${await page.title()}\n${text}`).not.toMatch(ENGLISH);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }

  it('enters Link, fails a login, then connects with the code', async () => {
    const invite = await send();
    await page.goto(invite.url);
    await expect.poll(() => page.title()).toBe('Conecte su cuenta de nómina');
    await check('landing', 'Cómo funciona', 'Sus datos de ingresos y empleo se comparten con Acme.');

    await page.getByRole('button', { name: 'Conectar su cuenta' }).click();
    await page.getByRole('heading', { name: 'Busque a su empleador o proveedor de nómina' }).waitFor();
    await check('items', '¿No puede iniciar sesión?', 'plataforma de nómina');
    await page.getByLabel('Busque empleadores, plataformas de nómina y apps de trabajo').fill('ledger');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByRole('link', { name: /Ledgerline Payroll/ }).click();

    await page.getByLabel('Usuario').fill('test_1');
    await page.getByLabel('Contraseña').fill('wrong');
    await page.getByRole('button', { name: 'Conectar', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('no son correctos');
    await check('login', 'Inicie sesión en Ledgerline Payroll', 'Credenciales de prueba');

    await page.getByLabel('Usuario').fill('test_1');
    await page.getByLabel('Contraseña').fill('passgood');
    await page.getByRole('button', { name: 'Conectar', exact: true }).click();
    await page.getByRole('heading', { name: 'Ingrese su código de verificación' }).waitFor();
    await check('verify', 'Ledgerline Payroll le envió un código para confirmar que es usted.');
    await page.getByLabel('Código de verificación').fill('8081');
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('heading', { name: 'Su cuenta está conectada' }).waitFor();
    await check('success', '¡Listo! Acme ya puede ver los datos que solicitó.', 'Conectar otra cuenta');
  });

  it('offers the response form and the upload instead of a login', async () => {
    const invite = await send();
    await page.goto(invite.url);
    await page.getByRole('button', { name: 'Conectar su cuenta' }).click();
    await page.getByRole('link', { name: 'responder algunas preguntas' }).click();
    await page.getByRole('heading', { name: 'Cuéntenos sobre su trabajo' }).waitFor();
    await check('form', '¿Con qué frecuencia le pagan?', 'Ingreso mensual antes de impuestos (USD)');
    await page.getByLabel('Nombre del empleador').fill('Bluebird Grocers');
    await page.getByLabel('¿Con qué frecuencia le pagan?').selectOption({ label: 'cada dos semanas' });
    await page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await page.getByRole('heading', { name: 'Gracias, recibimos sus respuestas' }).waitFor();
    await check('received', 'Acme ya las recibió.');

    await page.getByRole('link', { name: 'Conectar una cuenta' }).click();
    await page.getByRole('link', { name: 'subir un documento' }).click();
    await page.getByRole('heading', { name: 'Suba un documento' }).waitFor();
    await check('upload', 'PDF o imagen, de hasta 10 MB cada uno.');
    await page.getByLabel('Documento').setInputFiles({
      name: 'recibo.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 recibo'),
    });
    await page.getByRole('button', { name: 'Subir' }).click();
    await page.getByRole('heading', { name: 'Su cuenta está conectada' }).waitFor();
  });

  it('shows the expired page of a revoked invite', async () => {
    const invite = await send();
    await t.request('POST', `/v2/invites/${invite.id}/revoke`);
    const res = await page.goto(invite.url);
    expect(res?.status()).toBe(410);
    await page.getByRole('heading', { name: 'Esta invitación ha vencido' }).waitFor();
    await check('expired', 'pida a quien le invitó que le envíe una nueva invitación');
  });
});

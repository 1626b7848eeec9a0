import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandingFor } from '../src/link/branding.ts';
import { messagePage } from '../src/link/pages/messages.ts';
import { type Credentials, inviteBody, PUBLIC_URL, startTestApp, type TestApp } from './helpers/app.ts';
import { Browser, type Page, pathOf, textOf } from './helpers/link.ts';

let t: TestApp;
let auth: Credentials;
let flowId: string;

beforeAll(async () => {
  t = await startTestApp();
  auth = await t.newKey();
  await t.request('PATCH', '/v2/invite-settings', { auth, body: { company_name: 'Acme' } });
  flowId = await makeFlow('es');
  // With two flows and no default, an invite that names none renders without one.
  await makeFlow('en');
});
afterAll(() => t?.close());

async function makeFlow(language: 'en' | 'es'): Promise<string> {
  const res = await t.request('POST', '/v2/flows', {
    auth,
    body: { type: 'email_sms_template', name: `Solicitantes ${language}`, language },
  });
  expect(res.status).toBe(200);
  return res.body.id;
}

/** An invite with an email only, unless `over` gives a phone. */
async function send(over: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/v2/invites', {
    auth,
    body: inviteBody({ phone_number: undefined, ...over }),
  });
  expect(res.status).toBe(200);
  return res.body;
}

/** The email and text an invite sent, as captured. */
async function messagesOf(email: string, phone: string) {
  // Texts of one sender go out a second apart on the test's fixed clock.
  t.clock.advance(60_000);
  await t.drain();
  const list = (await t.request('GET', '/outbox/messages?limit=200', { auth })).body.results;
  return {
    email: list.find((m: any) => m.channel === 'email' && m.to === email),
    sms: list.find((m: any) => m.channel === 'sms' && m.to === phone),
  };
}

// English that none of the Spanish pages holds; item names (employers) stay as they are and
// name none of these words.
const ENGLISH =
  /\b(the|your|you|and|Connect|Search|Upload|Document|Username|Password|Verify|Secured|employer|invite|expired|Hi)\b/;

/** A page a Spanish speaker reads whole: `lang="es"`, and no English text around `expected`. */
function expectSpanish(page: Page, ...expected: string[]) {
  expect(page.html).toContain('<html lang="es">');
  const text = textOf(page.html);
  for (const s of expected) expect(text).toContain(s);
  expect(text).not.toMatch(ENGLISH);
}

describe('a flow in Spanish', () => {
  it('sends the built-in email and SMS in Spanish', async () => {
    const invite = await send({ email: 'es@example.com', phone_number: '212-555-0101', flow_id: flowId });
    expect(invite.rendered_flow_id).toBe(flowId);
    const { email, sms } = await messagesOf('es@example.com', '+12125550101');
    expect(email.subject).toBe('Acme le invita a conectar su cuenta de nómina');
    expect(email.text).toContain(
      'Hola, Sarah Longfield. Acme le pidió que conecte su cuenta de nómina. Solo le tomará unos minutos.',
    );
    expect(email.text).toMatch(/\nConectar su cuenta: http:\/\/invitekit\.test\/connect\//);
    expect(email.html).toContain('<html lang="es">');
    expect(email.html).toContain('>Conecte su cuenta de nómina</h1>');
    expect(email.html).toContain('>Conectar su cuenta</a>');
    for (const english of ['Connect', 'payroll', 'Hi Sarah', 'invites you']) {
      expect(`${email.subject}\n${email.text}\n${email.html}`).not.toContain(english);
    }
    expect(sms.text).toBe(
      `Acme le pide verificar sus ingresos en ${invite.url}?d=${sms.delivery_id} Responda STOP para darse de baja.`,
    );
  });

  it('shows the landing page, Link and its alerts in Spanish, through to success', async () => {
    const invite = await send({ flow_id: flowId });
    const b = new Browser(t.app);
    const landing = await b.get(pathOf(invite.url));
    expectSpanish(
      landing,
      'Conecte su cuenta de nómina',
      'Acme le pidió que conecte su cuenta de nómina.',
      'Cómo funciona',
      'Sus datos de ingresos y empleo se comparten con Acme.',
      'Conectar su cuenta',
      'Protegido por invitekit Link',
    );
    const items = await b.follow(await b.submit(landing));
    expectSpanish(
      items,
      'Busque a su empleador o proveedor de nómina',
      'Busque empleadores, plataformas de nómina y apps de trabajo',
      'Bluebird Grocers empleador',
      'PayPilot plataforma de nómina',
      'RideNow Driver app de trabajo',
      '¿No puede iniciar sesión?',
      'subir un documento',
    );
    const none = await b.get(`/connect/${invite.id}/items?q=zzz`);
    expectSpanish(none, 'Ningún empleador ni proveedor de nómina coincide con “zzz”.');

    const login = await b.get(`/connect/${invite.id}/items/item_000000001`);
    expectSpanish(
      login,
      'Inicie sesión en Bluebird Grocers',
      'Usuario',
      'Contraseña',
      'Credenciales de prueba',
    );
    const refused = await b.follow(await b.submit(login, { username: 'test_1', password: 'wrong' }));
    expectSpanish(refused, 'El usuario o la contraseña no son correctos. Revíselos e intente de nuevo.');
    const verify = await b.follow(await b.submit(refused, { username: 'test_1', password: 'passgood' }));
    expectSpanish(verify, 'Ingrese su código de verificación', 'Bluebird Grocers le envió un código');
    const wrong = await b.follow(await b.submit(verify, { code: '0000' }));
    expectSpanish(wrong, 'El código no coincide. Revíselo e intente de nuevo.');
    const success = await b.follow(await b.submit(wrong, { code: '8081' }));
    expectSpanish(success, 'Su cuenta está conectada', '¡Listo! Acme ya puede ver los datos que solicitó.');
    expect(textOf(success.html)).toContain('Conectar otra cuenta');
  });

  it('shows the upload and the response form, with their alerts, in Spanish', async () => {
    const invite = await send({ flow_id: flowId });
    const b = new Browser(t.app);
    await b.follow(await b.submit(await b.get(pathOf(invite.url))));
    const form = await b.get(`/connect/${invite.id}/form`);
    expectSpanish(form, 'Cuéntenos sobre su trabajo', '¿Con qué frecuencia le pagan?', 'Enviar respuestas');
    expect(form.html).toContain('<option value="every two weeks">cada dos semanas</option>');
    const missing = await b.follow(await b.submit(form, { employer: ' ' }));
    expectSpanish(missing, 'Ingrese el nombre de su empleador.');
    const received = await b.follow(await b.submit(missing, { employer: 'Bluebird Grocers' }));
    expectSpanish(
      received,
      'Gracias, recibimos sus respuestas',
      'Acme ya las recibió.',
      'Conectar una cuenta',
    );

    const upload = await b.get(`/connect/${invite.id}/upload`);
    expectSpanish(
      upload,
      'Suba un documento',
      'PDF o imagen, de hasta 10 MB cada uno. Puede subir hasta 10 documentos, 50 MB en total.',
      'Volver e iniciar sesión',
    );
    const fields: Record<string, string> = {};
    for (const m of upload.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[m[1] as string] = m[2] as string;
    }
    const empty = await b.upload(`/connect/${invite.id}/upload`, fields, {
      name: 'vacio.pdf',
      type: 'application/pdf',
      content: Buffer.alloc(0),
    });
    expectSpanish(await b.follow(empty), 'Elija un archivo para subir.');
    const done = await b.upload(`/connect/${invite.id}/upload`, fields, {
      name: 'recibo.pdf',
      type: 'application/pdf',
      content: Buffer.from('%PDF-1.4 recibo'),
    });
    expectSpanish(await b.follow(done), 'Su cuenta está conectada');
    // The invite is complete now: its URL takes no more documents, and says so in Spanish.
    const closed = await b.get(`/connect/${invite.id}/upload`);
    expect(closed.status).toBe(409);
    expectSpanish(closed, 'Esta invitación ya está completa');
  });

  it('answers a revoked invite, a bad form token, a garbled body and an Item not offered with Spanish pages', async () => {
    const invite = await send({ flow_id: flowId });
    const b = new Browser(t.app);
    const landing = await b.get(pathOf(invite.url));
    const forged = await b.post(`/connect/${invite.id}/enter`, { _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expectSpanish(forged, 'Esta página ha vencido', 'Por su seguridad, no se pudo enviar el formulario.');
    const garbled = await b.request('POST', `/connect/${invite.id}/enter`, '{"_csrf":', 'application/json');
    expect(garbled.status).toBe(400);
    expectSpanish(garbled, 'Algo no funcionó', 'La página no pudo procesar lo que se envió.');
    const unknown = await b.get(`/connect/${invite.id}/items/item_999999999x`);
    expect(unknown.status).toBe(404);
    expectSpanish(unknown, 'No encontramos esta página');

    expect((await t.request('POST', `/v2/invites/${invite.id}/revoke`, { auth })).status).toBe(200);
    const expired = await b.get(pathOf(invite.url));
    expect(expired.status).toBe(410);
    expectSpanish(
      expired,
      'Esta invitación ha vencido',
      'pida a quien le invitó que le envíe una nueva invitación',
    );
    // The page that was open before the revoke cannot go on either.
    const late = await b.submit(landing);
    expect(late.status).toBe(410);
    expectSpanish(late, 'Esta invitación ha vencido');
  });

  it('keeps the same client’s invite without a flow in English', async () => {
    const invite = await send({ email: 'en@example.com', phone_number: '212-555-0102' });
    expect(invite.rendered_flow_id).toBeNull();
    const { email, sms } = await messagesOf('en@example.com', '+12125550102');
    expect(email.subject).toBe('Acme invites you to connect your payroll account');
    expect(email.html).toContain('<html lang="en">');
    expect(sms.text).toContain('Reply STOP to opt out.');
    const landing = await new Browser(t.app).get(pathOf(invite.url));
    expect(landing.html).toContain('<html lang="en">');
    expect(textOf(landing.html)).toContain('Acme has asked you to connect your payroll account.');
    expect(textOf(landing.html)).not.toContain('nómina');
  });

  it('turns later pages English when the flow is switched to en', async () => {
    const switched = await makeFlow('es');
    const invite = await send({ flow_id: switched });
    const b = new Browser(t.app);
    expectSpanish(await b.get(pathOf(invite.url)), 'Conecte su cuenta de nómina');
    const patched = await t.request('PATCH', `/v2/flows/${switched}`, { auth, body: { language: 'en' } });
    expect(patched.status).toBe(200);
    expect(patched.body.language).toBe('en');
    const landing = await b.get(pathOf(invite.url));
    expect(landing.html).toContain('<html lang="en">');
    expect(textOf(landing.html)).toContain('Connect your payroll account');
    expect(textOf(landing.html)).not.toContain('nómina');
    const items = await b.follow(await b.submit(landing));
    expect(textOf(items.html)).toContain('Find your employer or payroll provider');
  });

  it('brands a page from a flow alone, before any invite exists', async () => {
    const brand = await brandingFor(
      t.deps.db,
      {
        client_id: auth.client_id,
        id: '',
        first_name: '',
        last_name: '',
        override_invite_template: null,
        invite_template_id: null,
        rendered_flow_id: flowId,
      },
      PUBLIC_URL,
    );
    expect(brand.language).toBe('es');
    expect(brand.company).toBe('Acme');
    const page = messagePage('inactive', brand);
    expect(page.status).toBe(200);
    expectSpanish(
      { status: page.status, html: page.html, location: null, headers: {} },
      'No se requiere ninguna acción',
      'Este enlace no está activo en este momento. No es necesario que haga nada.',
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, countRows, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const FLOW = {
  type: 'email_sms_template',
  name: 'Mortgage applicants',
  email: { subject: 'Flow subject for [Name] at [Company]', header: 'Flow header', sender: 'Flow Sender' },
  sms_text: 'Flow text from [Company]: [Link]',
  landing_page: { header: 'Flow landing header', subheader: 'Flow landing subheader' },
  success_page: { header: 'Flow success header' },
  brand: { color: '#123456' },
};

async function makeFlow(auth: Credentials, body: Record<string, unknown> = FLOW): Promise<string> {
  const res = await t.request('POST', '/v2/flows', { auth, body });
  expect(res.status).toBe(200);
  return res.body.id;
}

/** The email and text an invite sent, as captured. */
async function messagesOf(auth: Credentials, email: string, phone: string) {
  await t.drain();
  const list = (await t.request('GET', '/outbox/messages?limit=200', { auth })).body.results;
  return {
    email: list.find((m: any) => m.channel === 'email' && m.to === email),
    sms: list.find((m: any) => m.channel === 'sms' && m.to === phone),
  };
}

describe('what a send renders', () => {
  it('takes texts and branding from the flow, placeholders from the settings', async () => {
    const auth = await t.newKey();
    const settings = await t.request('PATCH', '/v2/invite-settings', {
      auth,
      body: { company_name: 'Acme' },
    });
    expect(settings.status).toBe(200);
    const flowId = await makeFlow(auth);
    const sent = await t.request('POST', '/v2/invites', {
      auth,
      body: inviteBody({ email: 'flow@example.com', flow_id: flowId }),
    });
    expect(sent.status).toBe(200);
    expect(sent.body.flow_id).toBe(flowId);
    expect(sent.body.rendered_flow_id).toBe(flowId);
    const { email, sms } = await messagesOf(auth, 'flow@example.com', '+12125555555');
    expect(email.subject).toBe('Flow subject for Sarah Longfield at Acme');
    expect(email.text).toContain('Flow header');
    expect(email.html).toContain('#123456');
    expect(sms.text).toBe(`Flow text from Acme: ${sent.body.url}?d=${sms.delivery_id}`);
    const page = await t.app.inject({ method: 'GET', url: `/connect/${sent.body.id}` });
    expect(page.body).toContain('Flow landing header');
    expect(page.body).toContain('Flow landing subheader');
  });

  it('lets the legacy template win over the flow, and the override over both, field by field', async () => {
    const auth = await t.newKey();
    const flowId = await makeFlow(auth);
    const template = await t.request('POST', '/v2/invite-templates', {
      auth,
      body: {
        name: 'Legacy',
        email_body: 'Legacy body',
        sms_body: 'Legacy SMS [Link]',
        header: 'Legacy header',
        button: 'Go',
        subject: 'Legacy subject',
        sender: '[Company]',
        company: 'Legacy Co',
        logo_url: 'https://legacy.example/logo.png',
        page_heading: 'Legacy heading',
        page_description: 'Legacy description',
        page_button: 'Start',
      },
    });
    expect(template.status).toBe(200);
    const viaTemplate = await t.request('POST', '/v2/invites', {
      auth,
      body: inviteBody({
        email: 'legacy@example.com',
        phone_number: undefined,
        flow_id: flowId,
        invite_template_id: template.body.id,
      }),
    });
    const viaOverride = await t.request('POST', '/v2/invites', {
      auth,
      body: inviteBody({
        email: 'override@example.com',
        phone_number: undefined,
        flow_id: flowId,
        override_invite_template: { email: { subject: 'Override subject' } },
      }),
    });
    expect([viaTemplate.status, viaOverride.status]).toEqual([200, 200]);
    const legacy = (await messagesOf(auth, 'legacy@example.com', '')).email;
    expect(legacy.subject).toBe('Legacy subject');
    expect(legacy.text).toContain('Legacy header');
    const override = (await messagesOf(auth, 'override@example.com', '')).email;
    expect(override.subject).toBe('Override subject');
    // Fields the override leaves out still come from the flow.
    expect(override.text).toContain('Flow header');
  });

  it('uses the default flow, else the only one, else none', async () => {
    const auth = await t.newKey();
    const send = async () =>
      (await t.request('POST', '/v2/invites', { auth, body: inviteBody({ phone_number: undefined }) })).body;
    expect((await send()).rendered_flow_id).toBeNull();
    const only = await makeFlow(auth);
    expect((await send()).rendered_flow_id).toBe(only);
    const second = await makeFlow(auth, { ...FLOW, name: 'Second' });
    expect((await send()).rendered_flow_id).toBeNull();
    const patched = await t.request('PATCH', '/v2/invite-settings', {
      auth,
      body: { default_flow_id: second },
    });
    expect(patched.status).toBe(200);
    expect((await send()).rendered_flow_id).toBe(second);
  });

  it('refuses a flow_id that names no template of the client, writing nothing', async () => {
    const auth = await t.newKey();
    const other = await makeFlow(await t.newKey());
    for (const flowId of ['ZZZZZZZZ', other]) {
      const before = await countRows(t.deps);
      const res = await t.request('POST', '/v2/invites', { auth, body: inviteBody({ flow_id: flowId }) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ flow_id: [expect.stringContaining(flowId)] });
      expect(await countRows(t.deps)).toEqual(before);
    }
  });

  it('requires external_id when the settings say so', async () => {
    const auth = await t.newKey();
    await t.request('PATCH', '/v2/invite-settings', { auth, body: { require_external_id: true } });
    const res = await t.request('POST', '/v2/invites', { auth, body: inviteBody() });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ external_id: ['This field is required.'] });
    const ok = await t.request('POST', '/v2/invites', { auth, body: inviteBody({ external_id: 'loan-42' }) });
    expect(ok.status).toBe(200);
  });

  it('keeps an invite’s pages and re-sends when its flow is deleted', async () => {
    const auth = await t.newKey();
    const flowId = await makeFlow(auth);
    const sent = (
      await t.request('POST', '/v2/invites', {
        auth,
        body: inviteBody({ phone_number: undefined, flow_id: flowId }),
      })
    ).body;
    expect((await t.request('DELETE', `/v2/flows/${flowId}`, { auth })).status).toBe(204);
    const page = await t.app.inject({ method: 'GET', url: `/connect/${sent.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Flow landing header');
    expect((await t.request('POST', `/v2/invites/${sent.id}`, { auth })).status).toBe(200);
    // A deleted flow cannot be named by a new send.
    const again = await t.request('POST', '/v2/invites', { auth, body: inviteBody({ flow_id: flowId }) });
    expect(again.status).toBe(400);
  });

  it('offers the flow’s Items when the invite names none of its own', async () => {
    const auth = await t.newKey();
    const flowId = await makeFlow(auth, { ...FLOW, flow_items: ['item_000000003'] });
    const own = (
      await t.request('POST', '/v2/invites', {
        auth,
        body: inviteBody({ flow_id: flowId, flow_items: ['item_000000005'] }),
      })
    ).body;
    const fromFlow = (await t.request('POST', '/v2/invites', { auth, body: inviteBody({ flow_id: flowId }) }))
      .body;
    expect(fromFlow.flow_items).toEqual([]);
    // One Item is a direct login: the items page sends the recipient straight to it.
    const itemsOf = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `/connect/${id}/items` })).headers.location;
    expect(await itemsOf(fromFlow.id)).toBe(`/connect/${fromFlow.id}/items/item_000000003`);
    expect(await itemsOf(own.id)).toBe(`/connect/${own.id}/items/item_000000005`);
  });

  it('words the built-in texts without a company until one is named', async () => {
    const auth = await t.newKey();
    const send = async () =>
      (await t.request('POST', '/v2/invites', { auth, body: inviteBody({ phone_number: undefined }) })).body;
    const plain = await t.app.inject({ method: 'GET', url: `/connect/${(await send()).id}` });
    expect(plain.body).toContain('You have been asked to connect your payroll account.');
    expect(plain.body).not.toContain('Our team');
    await t.request('PATCH', '/v2/invite-settings', { auth, body: { company_name: 'Acme' } });
    const named = await t.app.inject({ method: 'GET', url: `/connect/${(await send()).id}` });
    expect(named.body).toContain('Acme has asked you to connect your payroll account.');
    expect(named.body).toContain('Your income and employment details are shared with Acme.');
  });
});

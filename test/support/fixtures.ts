import { bearer, type HttpTarget, type Tenant } from './app.js';

/** The AI provider of the 2025 inquiries, as an organisation. */
export async function createProvider(
  test: HttpTarget,
  token: string,
  name = 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.',
): Promise<string> {
  const response = await test
    .http()
    .post('/api/v1/organisations')
    .set(bearer(token))
    .send({
      name,
      country: 'CN',
      website: 'https://provider.example',
      contacts: [{ name: 'Data Protection Officer', email: 'dpo@provider.example', role: 'dpo' }],
      products: [{ name: 'Chat app', kind: 'app' }],
    })
    .expect(201);
  return response.body.id as string;
}

export async function createCase(
  test: HttpTarget,
  tenant: Tenant,
  organisationId: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; reference: string }> {
  const response = await test
    .http()
    .post('/api/v1/cases')
    .set(bearer(tenant.tokens.officer))
    .send({
      organisationId,
      title: 'Processing of personal data by an AI chatbot',
      type: 'ex_officio',
      legalBasis: 'GDPR Art. 58(1)(a)',
      assigneeId: tenant.userIds.officer,
      ...extra,
    })
    .expect(201);
  return response.body;
}

// What the baselines answer: the same JSON the gateway sends for `{ me { id currentOrganizationRole } }`.
export const CONSTANT_USER = { id: '0b6b3b57-6a0e-4ab6-9d1e-3f1c8d9a4f21', currentOrganizationRole: 'OWNER' };
export const ME_QUERY = '{ me { id currentOrganizationRole } }';

import { roleFromClaim, roleMapProblem } from './sso-roles.js';

describe('roles from a single sign-on claim', () => {
  const table = { 'dpa-staff': 'officer', 'dpa-admins': 'admin', readers: 'viewer' } as const;

  it('maps a single value and a list of values, the most powerful role winning', () => {
    expect(roleFromClaim('dpa-staff', table)).toBe('officer');
    expect(roleFromClaim(['readers', 'dpa-admins', 'dpa-staff'], table)).toBe('admin');
    expect(roleFromClaim(['readers', 'unrelated'], table)).toBe('viewer');
  });

  it('gives no role for a missing, unknown or odd claim, nor for inherited object keys', () => {
    expect(roleFromClaim(undefined, table)).toBeNull();
    expect(roleFromClaim(['unrelated'], table)).toBeNull();
    expect(roleFromClaim({ 'dpa-admins': true }, table)).toBeNull();
    expect(roleFromClaim([42, null], table)).toBeNull();
    expect(roleFromClaim('constructor', table)).toBeNull();
    expect(roleFromClaim('toString', {})).toBeNull();
  });

  it('refuses a table naming a role that does not exist or that single sign-on cannot give', () => {
    expect(roleMapProblem(table)).toBeNull();
    expect(roleMapProblem({ root: 'sysadmin' })).toContain('roles are admin, manager, officer, viewer');
    expect(roleMapProblem({ staff: 'boss' })).toContain('"staff"');
    expect(roleMapProblem({ '': 'viewer' })).toContain('1 to 200 characters');
    expect(roleMapProblem(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`g${i}`, 'viewer'])))).toContain(
      'more than 100',
    );
  });
});

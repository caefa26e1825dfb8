import { PASSWORD_RULE, passwordProblem, passwordRefusal } from './password-rule.js';

const person = { email: 'maria.rossi@gpdp.example', name: 'Maria Rossi' };

describe('the password rule', () => {
  it.each([
    ['short-1', 'it has fewer than 12 characters'],
    ['x'.repeat(201), 'it has more than 200 characters'],
    ['maria.rossi@gpdp.example', 'it is your e-mail address'],
    ['MARIA.ROSSI@GPDP.EXAMPLE', 'it is your e-mail address'],
    ['maria.rossi@gpdp.example!', 'it is your e-mail address'],
    ['maria rossi', 'it has fewer than 12 characters'],
    ['Maria  Rossi', 'it is your name'],
    ['password1234', 'it is a very common password'],
    ['Password123!', 'it is a very common password'],
    ['passwordpassword', 'it is a very common password'],
    ['123456789012', 'it is a very common password'],
    ['210987654321', 'it is a very common password'],
    ['abcdefghijkl', 'it is a very common password'],
    ['qwertyuiop12', 'it is a very common password'],
    ['1q2w3e4r5t6y', 'it is a very common password'],
    ['aaaaaaaaaaaaaa', 'it is a very common password'],
    ['abababababab', 'it is a very common password'],
    ['iloveyou2025!', 'it is a very common password'],
    ['!!!!????####', 'it is a very common password'],
  ])('refuses %s: %s', (password, problem) => {
    expect(passwordProblem(password, person)).toBe(problem);
  });

  it.each([
    'correct horse battery',
    'officer-password-123',
    'demo-gpdp-manager',
    'Garante Roma 2025 !',
    'tr0ub4dor&3-lamp',
  ])('accepts %s', (password) => {
    expect(passwordProblem(password, person)).toBeNull();
  });

  it('refuses the password the person has now', () => {
    expect(passwordProblem('correct horse battery', person, 'correct horse battery')).toBe(
      'it is the password you have now',
    );
  });

  it('says what is wrong and then the rule', () => {
    expect(passwordRefusal('it is a very common password')).toBe(
      `This password cannot be used: it is a very common password. ${PASSWORD_RULE}`,
    );
    expect(PASSWORD_RULE).toMatch(/at least 12/);
  });
});

import type { FieldError } from '#docket/platform';

/** The rule every new password follows, as people read it (said in every refusal). */
export const PASSWORD_RULE =
  'A password needs at least 12 and at most 200 characters, must not be your e-mail address or your name, and must not be a very common password such as password1234 or 123456789012.';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * Words that make up most of the passwords found in breaches: a password that is one of them (or one of them
 * repeated) once digits and punctuation are taken away is refused.
 */
const COMMON_WORDS = new Set([
  'password',
  'passwort',
  'passwd',
  'pass',
  'motdepasse',
  'contrasena',
  'wachtwoord',
  'parola',
  'senha',
  'haslo',
  'qwerty',
  'qwertz',
  'azerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertyuiopasdfghjkl',
  'asdf',
  'zaq',
  'qaz',
  'qazwsx',
  'wsx',
  'qwe',
  'asd',
  'abc',
  'abcd',
  'abcdef',
  'abcdefgh',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'administrator',
  'root',
  'changeme',
  'secret',
  'login',
  'user',
  'guest',
  'test',
  'default',
  'master',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'soccer',
  'sunshine',
  'princess',
  'trustno',
  'superman',
  'batman',
  'starwars',
  'hello',
  'helloworld',
  'freedom',
  'whatever',
  'shadow',
  'michael',
  'jennifer',
  'computer',
  'internet',
  'summer',
  'winter',
  'spring',
  'autumn',
  'docket',
]);

const SEQUENCES = [
  '0123456789012345678901234567890',
  'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
];

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  if (/^(.)\1*$/.test(lower)) return true;
  const compact = lower.replace(/[^a-z0-9]/g, '');
  if (/^\d+$/.test(compact)) return true;
  // A run up or down a sequence: 123456789012, abcdefghijkl, 210987654321.
  for (const sequence of SEQUENCES) {
    if (compact.length >= 6 && (sequence.includes(compact) || [...sequence].reverse().join('').includes(compact)))
      return true;
  }
  const letters = lower.replace(/[^a-z]/g, '');
  if (letters === '') return true;
  // One common word, or the same common word (or short group) repeated: passwordpassword, qwertyqwerty.
  const unit = /^(.+?)\1*$/.exec(letters)![1]!;
  return COMMON_WORDS.has(letters) || COMMON_WORDS.has(unit) || unit.length <= 2;
}

/**
 * Why a new password is refused, as one clause ("it has fewer than 12 characters"), or null when it follows
 * PASSWORD_RULE. `current` is the password being replaced, when it is known.
 */
export function passwordProblem(
  password: string,
  person: { email: string; name?: string | null },
  current?: string,
): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return PASSWORD_PROBLEMS.short;
  if (password.length > PASSWORD_MAX_LENGTH) return PASSWORD_PROBLEMS.long;
  const folded = password.trim().toLowerCase();
  const email = person.email.toLowerCase();
  const name = (person.name ?? '').trim().toLowerCase();
  if (folded === email || folded === email.split('@')[0] || folded.includes(email)) return PASSWORD_PROBLEMS.email;
  if (name && folded.replace(/\s+/g, '') === name.replace(/\s+/g, '')) return PASSWORD_PROBLEMS.name;
  if (isCommon(password)) return PASSWORD_PROBLEMS.common;
  if (current !== undefined && password === current) return PASSWORD_PROBLEMS.current;
  return null;
}

/** Each reason a password is refused, as the clause passwordProblem answers with. */
const PASSWORD_PROBLEMS = {
  short: `it has fewer than ${PASSWORD_MIN_LENGTH} characters`,
  long: `it has more than ${PASSWORD_MAX_LENGTH} characters`,
  email: 'it is your e-mail address',
  name: 'it is your name',
  common: 'it is a very common password',
  current: 'it is the password you have now',
} as const;

/** The refusal of a new password: what is wrong with it, then the rule. */
export const passwordRefusal = (problem: string): string =>
  `This password cannot be used: ${problem}. ${PASSWORD_RULE}`;

/** The refusal of a new password as a field error on `field`, with its catalogue message (`password.refusal`). */
export function passwordRefusalError(field: string, problem: string): FieldError {
  const reason = Object.entries(PASSWORD_PROBLEMS).find(([, clause]) => clause === problem)?.[0] ?? 'other';
  return {
    field,
    message: passwordRefusal(problem),
    key: 'password.refusal',
    params: { reason, min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH },
  };
}

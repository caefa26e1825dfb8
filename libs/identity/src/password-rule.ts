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
  if (password.length < PASSWORD_MIN_LENGTH) return `it has fewer than ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `it has more than ${PASSWORD_MAX_LENGTH} characters`;
  const folded = password.trim().toLowerCase();
  const email = person.email.toLowerCase();
  const name = (person.name ?? '').trim().toLowerCase();
  if (folded === email || folded === email.split('@')[0] || folded.includes(email)) return 'it is your e-mail address';
  if (name && folded.replace(/\s+/g, '') === name.replace(/\s+/g, '')) return 'it is your name';
  if (isCommon(password)) return 'it is a very common password';
  if (current !== undefined && password === current) return 'it is the password you have now';
  return null;
}

/** The refusal of a new password: what is wrong with it, then the rule. */
export const passwordRefusal = (problem: string): string =>
  `This password cannot be used: ${problem}. ${PASSWORD_RULE}`;

import type { Authority } from './authority.entity.js';
import type { AuthorityView, UserView } from './dto.js';
import type { User } from './user.entity.js';

export function authorityView(authority: Authority): AuthorityView {
  const { id, code, name, country, timezone, locale, holidayRegion, weekendDays } = authority;
  return { id, code, name, country, timezone, locale, holidayRegion, weekendDays };
}

export function userView(user: User, authority: Authority | null): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    language: user.language,
    authority: authority ? authorityView(authority) : null,
  };
}

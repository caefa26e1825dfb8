import { Body, Get, Post, Req } from '@nestjs/common';
import { CreateUserRequest, IdentityService } from '#docket/identity';
import { Roles } from '#docket/platform';
import { formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';

const USER_FIELDS = ['name', 'email', 'role', 'password'];
export const ROLE_OPTIONS = [
  { value: 'officer', label: 'Officer – works on cases' },
  { value: 'manager', label: 'Manager – works on cases and watches all deadlines' },
  { value: 'viewer', label: 'Viewer – reads only' },
  { value: 'admin', label: 'Administrator – manages users and the calendar' },
];

/** The authority's users, for its administrators. */
@Page('admin/users')
@Roles('admin')
export class UsersPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly identity: IdentityService,
  ) {}

  @Get()
  list() {
    return this.page(noErrors(), { role: 'officer' });
  }

  @Post()
  async create(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    try {
      const input = await validateForm(CreateUserRequest, { ...formValues(body, USER_FIELDS), authority: req.auth!.authority!.code }, { fields: [...USER_FIELDS, 'authority'] });
      const user = await this.identity.createUser(input);
      return this.pages.redirect('/admin/users', `${user.name} (${user.email}) can now sign in as ${user.role}.`);
    } catch (error) {
      const errors = formErrors(error, {
        form: 'user',
        problemField: 'email',
        messages: {
          name: 'Enter the name, 1 to 200 characters',
          email: 'Enter an email address in the correct format, like name@example.org',
          role: 'Choose a role',
          password: 'Enter a password of 12 to 200 characters',
        },
      });
      const values = formValues(body, USER_FIELDS);
      return this.page(errors, { ...values, password: '' }, 400);
    }
  }

  private async page(errors: FormErrors, values: Record<string, string>, status = 200) {
    const users = await this.identity.listUsers();
    return this.pages.render(
      'admin/users',
      { title: 'Users', users: users.map((user) => ({ name: user.name, email: user.email, role: user.role, active: user.active })), roles: ROLE_OPTIONS, errors, values },
      { status },
    );
  }
}

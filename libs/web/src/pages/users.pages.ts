import { Body, Get, HttpException, NotFoundException, Param, Post, Req } from '@nestjs/common';
import {
  CreateUserRequest,
  IdentityService,
  PASSWORD_RULE,
  UserLifecycleService,
  type UserChange,
} from '#docket/identity';
import { RequestContext, Roles } from '#docket/platform';
import { errorsOf, formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { requireUuid } from './page-helpers.js';

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
    private readonly lifecycle: UserLifecycleService,
  ) {}

  @Get()
  list() {
    return this.page(noErrors(), { role: 'officer' });
  }

  @Post()
  async create(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    try {
      const input = await validateForm(
        CreateUserRequest,
        { ...formValues(body, USER_FIELDS), authority: req.auth!.authority!.code },
        { fields: [...USER_FIELDS, 'authority'] },
      );
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
        },
      });
      const values = formValues(body, USER_FIELDS);
      return this.page(errors, { ...values, password: '' }, 400);
    }
  }

  @Post(':id/role')
  changeRole(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    const { role } = formValues(body, ['role']);
    if (!ROLE_OPTIONS.some((option) => option.value === role))
      return this.refused(
        id,
        'role',
        errorsOf([{ field: 'role', message: 'Choose a role' }], { form: personForm(id, 'role') }),
      );
    return this.change(
      id,
      'role',
      { role: role as UserChange['role'] },
      (name) => `${name} is now ${role}; they sign in again.`,
    );
  }

  @Post(':id/deactivate')
  deactivate(@Param('id') id: string) {
    return this.change(
      id,
      'status',
      { active: false },
      (name) => `${name} is deactivated: every session of theirs ended.`,
    );
  }

  @Post(':id/reactivate')
  reactivate(@Param('id') id: string) {
    return this.change(id, 'status', { active: true }, (name) => `${name} is active again and can sign in.`);
  }

  @Post(':id/password-reset')
  async sendResetLink(@Param('id') id: string) {
    requireUuid(id, 'user');
    try {
      const person = await this.person(id);
      await this.lifecycle.sendResetLink(id);
      return this.pages.redirect('/admin/users', `A link to set a new password was sent to ${person.email}.`);
    } catch (error) {
      return this.refused(id, 'reset', formErrors(error, { form: personForm(id, 'reset') }), error);
    }
  }

  private async change(id: string, form: string, change: UserChange, done: (name: string) => string) {
    requireUuid(id, 'user');
    try {
      const user = await this.lifecycle.update(id, change);
      return this.pages.redirect('/admin/users', done(user.name));
    } catch (error) {
      return this.refused(
        id,
        form,
        formErrors(error, { form: personForm(id, form), problemField: form === 'role' ? 'role' : undefined }),
        error,
      );
    }
  }

  private async person(id: string) {
    const person = (await this.identity.listUsers()).find((user) => user.id === id);
    if (!person) throw new NotFoundException('There is no such user in your authority.');
    return person;
  }

  private refused(id: string, form: string, errors: FormErrors, error?: unknown) {
    errors.form = personForm(id, form);
    return this.page(errors, { role: 'officer' }, error instanceof HttpException ? error.getStatus() : 400);
  }

  private async page(errors: FormErrors, values: Record<string, string>, status = 200) {
    const users = await this.identity.listUsers();
    const me = RequestContext.actor().userId;
    return this.pages.render(
      'admin/users',
      {
        title: 'Users',
        users: users.map((user) => ({
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          active: user.active,
          self: user.id === me,
        })),
        roles: ROLE_OPTIONS,
        passwordRule: PASSWORD_RULE,
        errors,
        values,
      },
      { status },
    );
  }
}

/** The id prefix of one person's form on the users page (`person-<id>-role`). */
const personForm = (id: string, form: string) => `person-${id}-${form}`;

import { Body, Get, NotFoundException, Param, Post, Query, Req } from '@nestjs/common';
import { LANGUAGE_NAMES, t } from '#docket/i18n';
import {
  CreateUserRequest,
  IdentityService,
  SecondFactorService,
  UserLifecycleService,
  UserListQuery,
  type UserChange,
} from '#docket/identity';
import { httpStatusOf, RequestContext, Roles } from '#docket/platform';
import { errorsOf, formErrors, formValues, noErrors, validateForm, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { optionsOf } from '../labels.js';
import { PageRenderer } from '../page-renderer.js';
import { pagerLinks, sortHeaders } from './list-paging.js';
import { requireUuid } from './page-helpers.js';

const USER_FIELDS = ['name', 'email', 'role', 'password'];
const LIST_FIELDS = ['sort', 'cursor'];
const PAGE_SIZE = 100;
export const ROLE_OPTIONS = optionsOf([
  ['officer', 'users.roleOption.officer'],
  ['manager', 'users.roleOption.manager'],
  ['viewer', 'users.roleOption.viewer'],
  ['admin', 'users.roleOption.admin'],
]);

/** The authority's users, for its administrators. */
@Page('admin/users')
@Roles('admin')
export class UsersPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly identity: IdentityService,
    private readonly lifecycle: UserLifecycleService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  @Get()
  list(@Query() query: Record<string, unknown>) {
    return this.page(noErrors(), { role: 'officer' }, 200, query);
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
      return this.pages.redirect(
        '/admin/users',
        t('users.flash.created', { name: user.name, email: user.email, role: t(`role.${user.role}`) }),
      );
    } catch (error) {
      const errors = formErrors(error, {
        form: 'user',
        problemField: 'email',
        messages: {
          name: t('users.error.name'),
          email: t('users.error.email'),
          role: t('users.error.role'),
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
        errorsOf([{ field: 'role', message: t('users.error.role') }], { form: personForm(id, 'role') }),
      );
    return this.change(id, 'role', { role: role as UserChange['role'] }, (name) =>
      t('users.flash.role', { name, role: t(`role.${role}`) }),
    );
  }

  @Post(':id/deactivate')
  deactivate(@Param('id') id: string) {
    return this.change(id, 'status', { active: false }, (name) => t('users.flash.deactivated', { name }));
  }

  @Post(':id/reactivate')
  reactivate(@Param('id') id: string) {
    return this.change(id, 'status', { active: true }, (name) => t('users.flash.reactivated', { name }));
  }

  @Post(':id/password-reset')
  async sendResetLink(@Param('id') id: string) {
    requireUuid(id, 'user');
    try {
      const person = await this.person(id);
      await this.lifecycle.sendResetLink(id);
      return this.pages.redirect('/admin/users', t('users.flash.resetSent', { email: person.email }));
    } catch (error) {
      return this.refused(id, 'reset', formErrors(error, { form: personForm(id, 'reset') }), error);
    }
  }

  @Post(':id/totp-reset')
  async resetSecondFactor(@Param('id') id: string) {
    requireUuid(id, 'user');
    try {
      const person = await this.person(id);
      await this.secondFactor.reset(id);
      return this.pages.redirect('/admin/users', t('users.flash.secondFactorReset', { name: person.name }));
    } catch (error) {
      return this.refused(id, 'totp', formErrors(error, { form: personForm(id, 'totp') }), error);
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
    if (!person) throw new NotFoundException(t('users.noSuchUser'));
    return person;
  }

  private refused(id: string, form: string, errors: FormErrors, error?: unknown) {
    errors.form = personForm(id, form);
    return this.page(errors, { role: 'officer' }, httpStatusOf(error) ?? 400);
  }

  private async page(
    errors: FormErrors,
    values: Record<string, string>,
    status = 200,
    listQuery: Record<string, unknown> = {},
  ) {
    const list = formValues(listQuery, LIST_FIELDS);
    let page: Pick<Awaited<ReturnType<IdentityService['pageUsers']>>, 'items' | 'nextCursor' | 'prevCursor'> = {
      items: [],
      nextCursor: null,
      prevCursor: null,
    };
    try {
      const filter = await validateForm(UserListQuery, listQuery, { fields: LIST_FIELDS });
      page = await this.identity.pageUsers({ ...filter, limit: PAGE_SIZE });
    } catch (error) {
      errors = formErrors(error, { fields: LIST_FIELDS });
      status = 400;
    }
    const users = page.items;
    const me = RequestContext.actor().userId;
    return this.pages.render(
      'admin/users',
      {
        title: t('nav.users'),
        users: users.map((user) => ({
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          active: user.active,
          language: user.language,
          languageName: LANGUAGE_NAMES[user.language] ?? user.language,
          secondFactor: Boolean(user.totpEnabledAt),
          self: user.id === me,
        })),
        roles: ROLE_OPTIONS,
        sortColumns: sortHeaders('/admin/users', {}, list.sort || 'name', [
          { key: 'name', label: t('me.name'), first: 'asc' },
          { key: 'email', label: t('me.email'), first: 'asc' },
          { key: 'role', label: t('me.role'), first: 'asc' },
        ]),
        pager: pagerLinks('/admin/users', { sort: list.sort }, page, Boolean(list.cursor)),
        errors,
        values,
      },
      { status },
    );
  }
}

/** The id prefix of one person's form on the users page (`person-<id>-role`). */
const personForm = (id: string, form: string) => `person-${id}-${form}`;

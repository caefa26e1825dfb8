import { Body, Get, Post } from '@nestjs/common';
import { t } from '#docket/i18n';
import { CreateAuthorityRequest, IdentityService } from '#docket/identity';
import { Roles } from '#docket/platform';
import { weekdayNames } from '../dates.js';
import { currentDateSettings } from '../page-context.js';
import { errorsOf, formErrors, formValues, noErrors, type FormErrors } from '../forms.js';
import { Page } from '../page.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { fieldErrorsOf, listOf, validateInput } from './page-helpers.js';

const FIELDS = [
  'code',
  'name',
  'country',
  'timezone',
  'locale',
  'holidayRegion',
  'adminName',
  'adminEmail',
  'adminPassword',
];
const DEFAULTS: Record<string, string> = { timezone: 'Europe/Brussels', locale: 'en' };
const DEFAULT_WEEKEND = ['6', '7'];
/** Each message names the field as the form labels it (catalogue keys `sysadmin.error.<field>`). */
const MESSAGE_FIELDS = [
  'code',
  'name',
  'country',
  'timezone',
  'locale',
  'holidayRegion',
  'weekendDays',
  'adminName',
  'adminEmail',
  'adminPassword',
];
const messagesOf = (): Record<string, string> =>
  Object.fromEntries(MESSAGE_FIELDS.map((field) => [field, t(`sysadmin.error.${field}`)]));
const RENAME: Record<string, string> = {
  'admin.name': 'adminName',
  'admin.email': 'adminEmail',
  'admin.password': 'adminPassword',
  admin: 'adminEmail',
};

/** The sysadmin's authorities: the list (on the sysadmin's dashboard) and creating one with its first administrator. */
@Page('admin/authorities')
@Roles('sysadmin')
export class AuthorityPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly identity: IdentityService,
  ) {}

  @Get()
  list() {
    return this.page({ ...DEFAULTS }, DEFAULT_WEEKEND, noErrors());
  }

  @Post()
  async create(@Body() body: Record<string, unknown>) {
    const values = formValues(body, FIELDS);
    const weekend = listOf(body.weekendDays);
    const options = { form: 'authority', fields: [...FIELDS, 'weekendDays'], rename: RENAME };
    const fail = (errors: FormErrors) => this.page({ ...values, adminPassword: '' }, weekend, errors, 400);
    let input: CreateAuthorityRequest;
    try {
      input = await validateInput(CreateAuthorityRequest, {
        code: values.code.trim().toUpperCase() || undefined,
        name: values.name.trim() || undefined,
        country: values.country.trim().toUpperCase() || undefined,
        timezone: values.timezone.trim() || undefined,
        locale: values.locale.trim() || undefined,
        holidayRegion: values.holidayRegion.trim().toUpperCase() || undefined,
        weekendDays: weekend.filter((day) => /^[1-7]$/.test(day)).map(Number),
        admin: {
          name: values.adminName.trim() || undefined,
          email: values.adminEmail.trim() || undefined,
          password: values.adminPassword || undefined,
        },
      });
    } catch (error) {
      const fields = fieldErrorsOf(error, (field) => RENAME[field] ?? field.split('.')[0]);
      return fail(
        fields
          ? errorsOf(fields, { ...options, messages: messagesOf() })
          : formErrors(error, { ...options, messages: messagesOf() }),
      );
    }
    try {
      const authority = await this.identity.createAuthority(input);
      return this.pages.redirect(
        '/dashboard',
        t('sysadmin.created', { code: authority.code, email: authority.admin?.email ?? '' }),
      );
    } catch (error) {
      // The service's own words for a code or email already used and a holiday region without data; ours for the rest.
      const fields = fieldErrorsOf(error, (field) => RENAME[field] ?? field);
      const messages = {
        timezone: t('sysadmin.error.timezone'),
        weekendDays: t('sysadmin.error.allWeekend'),
      };
      return fail(
        fields
          ? errorsOf(fields, { ...options, messages })
          : formErrors(error, { ...options, problemField: 'code', messages: {} }),
      );
    }
  }

  private async page(values: Record<string, string>, weekend: string[], errors: FormErrors, status = 200) {
    const authorities = await this.identity.listAuthorities();
    const names = weekdayNames([1, 2, 3, 4, 5, 6, 7], currentDateSettings());
    return this.pages.render(
      'sysadmin',
      {
        title: t('sysadmin.title'),
        authorities,
        form: {
          values,
          errors,
          weekdays: names.map((label, index) => ({
            value: String(index + 1),
            label,
            checked: weekend.includes(String(index + 1)),
          })),
        },
        errors,
      },
      { status },
    );
  }
}

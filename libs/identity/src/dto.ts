import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { LANGUAGES, type Language } from '#docket/i18n';
import { OneOrMore, PagedQuery, ROLES, type Role } from '#docket/platform';
import { PROVISIONING, type MappedRole, type Provisioning } from './oidc-settings.entity.js';
import { PASSWORD_RULE } from './password-rule.js';

export class TokenRequest {
  @ApiProperty({ example: 'officer@gpdp.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({
    description:
      'For an account with a second factor: the 6-digit code of the authenticator app, or an unused recovery code. Without it such an account answers 401 with `secondFactorRequired: true`.',
    example: '492039',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  code?: string;
}

const LANGUAGE_MESSAGE = `language must be one of ${LANGUAGES.join(', ')}`;
const LANGUAGE_DESCRIPTION =
  "Language of the pages the user reads; when not given at creation, the authority's (its locale's language, else en)";

export class CreateUserRequest {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ minLength: 12, maxLength: 200, description: PASSWORD_RULE })
  @IsString()
  @Length(12, 200, {
    message: `This password cannot be used: it has fewer than 12 or more than 200 characters. ${PASSWORD_RULE}`,
  })
  password!: string;

  @ApiProperty({ enum: ROLES.filter((role) => role !== 'sysadmin') })
  @IsIn(ROLES.filter((role) => role !== 'sysadmin'), { message: 'role must be one of admin, manager, officer, viewer' })
  role!: Exclude<Role, 'sysadmin'>;

  @ApiProperty({ example: 'GPDP', description: 'Authority code' })
  @IsString()
  @MaxLength(10)
  authority!: string;

  @ApiPropertyOptional({ enum: LANGUAGES, description: LANGUAGE_DESCRIPTION })
  @IsOptional()
  @IsIn(LANGUAGES, { message: LANGUAGE_MESSAGE })
  language?: Language;
}

/**
 * The first administrator of a new authority, created with it: a user's email, name and password, under the same rules.
 */
export class FirstAdminRequest extends PickType(CreateUserRequest, [
  'email',
  'name',
  'password',
  'language',
] as const) {}

export class CreateAuthorityRequest {
  @ApiProperty({ example: 'GPDP', description: '2–10 capital letters or digits, starting with a letter' })
  @Matches(/^[A-Z][A-Z0-9]{1,9}$/, { message: 'code must be 2–10 capital letters or digits, starting with a letter' })
  code!: string;

  @ApiProperty({ example: 'Garante per la protezione dei dati personali' })
  @IsString()
  @Length(2, 200)
  name!: string;

  @ApiProperty({ example: 'IT', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as IT' })
  country!: string;

  @ApiProperty({ example: 'Europe/Rome', description: 'IANA time zone' })
  @IsString()
  @MaxLength(64)
  timezone!: string;

  @ApiProperty({ example: 'it-IT', description: 'BCP 47 locale of its letters' })
  @Matches(/^[a-z]{2}(-[A-Z]{2})?$/, { message: 'locale must look like it or it-IT' })
  locale!: string;

  @ApiProperty({ example: 'IT', description: 'Holiday region: a country (IT) or country-state (DE-BE)' })
  @Matches(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, { message: 'holidayRegion must look like IT or DE-BE' })
  holidayRegion!: string;

  @ApiPropertyOptional({ example: [6, 7], description: 'ISO weekday numbers, 1 = Monday … 7 = Sunday' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(6)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekendDays?: number[];

  @ApiPropertyOptional({
    type: FirstAdminRequest,
    description: 'Its first administrator, created in the same step (nothing is created if either is refused)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => FirstAdminRequest)
  admin?: FirstAdminRequest;
}

export interface AuthorityView {
  id: string;
  code: string;
  name: string;
  country: string;
  timezone: string;
  locale: string;
  holidayRegion: string;
  weekendDays: number[];
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  language: Language;
  authority: AuthorityView | null;
}

const MANAGED_ROLES = ROLES.filter((role) => role !== 'sysadmin');

export class UpdateUserRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({
    enum: MANAGED_ROLES,
    description: 'Never raises your own role; the last active admin of an authority keeps the role',
  })
  @IsOptional()
  @IsIn(MANAGED_ROLES, { message: 'role must be one of admin, manager, officer, viewer' })
  role?: Exclude<Role, 'sysadmin'>;

  @ApiPropertyOptional({ description: 'false deactivates (every token and session ends at once), true reactivates' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ enum: LANGUAGES, description: LANGUAGE_DESCRIPTION })
  @IsOptional()
  @IsIn(LANGUAGES, { message: LANGUAGE_MESSAGE })
  language?: Language;
}

/** What users change on their own profile. */
export class UpdateProfileRequest {
  @ApiProperty({ enum: LANGUAGES, description: "Language of the pages you read and of the API's problem details" })
  @IsIn(LANGUAGES, { message: LANGUAGE_MESSAGE })
  language!: Language;
}

export class ChangePasswordRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  currentPassword!: string;

  @ApiProperty({ description: PASSWORD_RULE })
  @IsString()
  @MaxLength(1000)
  newPassword!: string;
}

export class TotpCodeRequest {
  @ApiProperty({ description: 'The 6-digit code the authenticator app shows for the new secret', example: '492039' })
  @IsString()
  @Length(1, 64)
  code!: string;
}

export class SecondFactorPolicyRequest {
  @ApiProperty({
    description:
      'true: users signing in with a password must use a second factor (those without one set it up at their next sign-in; their current sessions end)',
  })
  @IsBoolean()
  required!: boolean;
}

export class OidcSettingsRequest {
  @ApiProperty({
    description: 'Issuer URL of the OpenID provider (its /.well-known/openid-configuration is read)',
    example: 'https://login.example.org/realms/gpdp',
  })
  @IsString()
  @MaxLength(500)
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'issuer must be an http(s) URL' })
  issuer!: string;

  @ApiProperty({ description: 'Client id registered with the provider for Docket' })
  @IsString()
  @Length(1, 500)
  clientId!: string;

  @ApiPropertyOptional({
    description:
      'Client secret (stored sealed, never shown again); omit to keep the stored one; null for a public client (PKCE alone)',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  clientSecret?: string | null;

  @ApiPropertyOptional({ description: "ID-token claim matched to the Docket user's e-mail address", default: 'email' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_:./-]{1,100}$/, { message: 'emailClaim must be a claim name' })
  emailClaim?: string;

  @ApiPropertyOptional({
    description: 'E-mail domains whose users the sign-in page sends to this provider, e.g. ["gpdp.it"]',
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
    each: true,
    message: 'emailDomains must be lower-case domain names like gpdp.it',
  })
  emailDomains?: string[];

  @ApiPropertyOptional({ description: 'Shown as "Sign in with <label>"; default: the authority\'s name' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  label?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    description:
      'ID-token claim whose value (a string or a list of strings, e.g. groups) decides the role at each sign-in; null: roles are kept in Docket',
    nullable: true,
    type: String,
    example: 'groups',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_:./-]{1,100}$/, { message: 'roleClaim must be a claim name' })
  roleClaim?: string | null;

  @ApiPropertyOptional({
    description:
      'Claim value → role (admin, manager, officer, viewer); of several values that map, the most powerful role wins',
    example: { 'docket-admins': 'admin', 'docket-staff': 'officer' },
    type: 'object',
    additionalProperties: { type: 'string', enum: ['admin', 'manager', 'officer', 'viewer'] },
  })
  @IsOptional()
  @IsObject()
  roleMap?: Record<string, MappedRole>;

  @ApiPropertyOptional({
    description: 'Role of a user created at first sign-in whose claim maps to no role; null: such a user is refused',
    nullable: true,
    enum: ['admin', 'manager', 'officer', 'viewer'],
  })
  @IsOptional()
  @IsIn(['admin', 'manager', 'officer', 'viewer'])
  defaultRole?: MappedRole | null;

  @ApiPropertyOptional({
    description:
      '`existing`: only users Docket already has sign in; `jit`: a verified address of a listed e-mail domain without an account gets one at its first sign-in (audited: user.created with via sso)',
    enum: PROVISIONING,
    default: 'existing',
  })
  @IsOptional()
  @IsIn(PROVISIONING)
  provisioning?: Provisioning;

  @ApiPropertyOptional({
    description:
      "The authority's users sign in through this provider only: password sign-in, password changes and reset links are refused",
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  ssoOnly?: boolean;
}

export const USER_SORT_KEYS = ['name', 'email', 'role', 'createdAt'] as const;
export type UserSortKey = (typeof USER_SORT_KEYS)[number];

export class UserListQuery extends PagedQuery {
  @ApiPropertyOptional({
    description: `${USER_SORT_KEYS.join(', ')}, - in front for descending; default name`,
  })
  declare sort?: string;

  @OneOrMore('role', ROLES)
  role?: Role[];

  @ApiPropertyOptional({ description: 'true: active users only; false: deactivated ones only' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'active must be true or false' })
  active?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Name or e-mail address containing this text' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'q must be 1 to 200 characters long' })
  q?: string;
}

import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath, PartialType } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CONTACT_ROLES, PRODUCT_KINDS, type ContactRole, type ProductKind } from './organisation.types.js';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const COUNTRY = /^[A-Z]{2}$/;

export class LegalEntityInput {
  @ApiProperty({ example: 'Hangzhou DeepSeek Artificial Intelligence Basic Technology Research Co., Ltd.' })
  @trim()
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ example: 'CN', description: 'ISO 3166-1 alpha-2' })
  @Matches(COUNTRY, { message: 'country must be an ISO 3166-1 alpha-2 code such as CN' })
  country!: string;

  @ApiPropertyOptional({ example: '91330105MACPN4X08Y' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  registrationNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  address?: string;
}

export class ContactInput {
  @ApiPropertyOptional({ example: 'Data Protection Officer' })
  @IsOptional()
  @trim()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiProperty({ example: 'privacy@deepseek.example' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: CONTACT_ROLES })
  @IsIn(CONTACT_ROLES, { message: `role must be one of ${CONTACT_ROLES.join(', ')}` })
  role!: ContactRole;
}

export class RepresentativeInput {
  @ApiProperty({ example: 'EU', description: 'Country (IT), region (EU) or country-state (DE-BE)' })
  @Matches(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, { message: 'jurisdiction must look like IT, EU or DE-BE' })
  jurisdiction!: string;

  @ApiProperty({ description: 'false records that the organisation has appointed no representative there' })
  @IsBoolean()
  appointed!: boolean;

  @ApiPropertyOptional({ description: 'Required when appointed' })
  @IsOptional()
  @trim()
  @IsString()
  @Length(1, 300)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  address?: string;
}

export class ProductInput {
  @ApiProperty({ example: 'DeepSeek-R1' })
  @trim()
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: PRODUCT_KINDS })
  @IsOptional()
  @IsIn(PRODUCT_KINDS, { message: `kind must be one of ${PRODUCT_KINDS.join(', ')}` })
  kind?: ProductKind;
}

/** A product may be given as its name alone (API.md) or as {name, kind}. */
const toProducts = () =>
  Transform(({ value }) =>
    Array.isArray(value)
      ? value.map((item: unknown) =>
          typeof item === 'string'
            ? plainToInstance(ProductInput, { name: item })
            : item !== null && typeof item === 'object' && !Array.isArray(item)
              ? plainToInstance(ProductInput, item)
              : item,
        )
      : value,
  );

@ApiExtraModels(ProductInput)
export class CreateOrganisationRequest {
  @ApiProperty({ example: 'Hangzhou DeepSeek Artificial Intelligence Co., Ltd.', description: 'Legal name' })
  @trim()
  @IsString()
  @Length(1, 300, { message: 'name must be 1 to 300 characters long' })
  name!: string;

  @ApiPropertyOptional({ example: ['DeepSeek'], type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  tradingNames?: string[];

  @ApiProperty({ example: 'CN', description: 'ISO 3166-1 alpha-2 of its seat' })
  @Matches(COUNTRY, { message: 'country must be an ISO 3166-1 alpha-2 code such as CN' })
  country!: string;

  @ApiPropertyOptional({ example: 'https://www.deepseek.com' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'website must be an http(s) URL' })
  @MaxLength(500)
  website?: string;

  @ApiPropertyOptional({ type: [LegalEntityInput] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => LegalEntityInput)
  legalEntities?: LegalEntityInput[];

  @ApiPropertyOptional({ type: [ContactInput] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ContactInput)
  contacts?: ContactInput[];

  @ApiPropertyOptional({ type: [RepresentativeInput] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RepresentativeInput)
  representatives?: RepresentativeInput[];

  @ApiPropertyOptional({
    description: 'Product names, or {name, kind}',
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { $ref: getSchemaPath(ProductInput) }] },
    example: ['DeepSeek app', { name: 'DeepSeek-R1', kind: 'model' }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @toProducts()
  @ValidateNested({ each: true })
  products?: ProductInput[];
}

/** Every field optional; arrays replace the stored list whole. */
export class UpdateOrganisationRequest extends PartialType(CreateOrganisationRequest) {}

export class OrganisationQuery {
  @ApiPropertyOptional({ description: 'Part of a legal or trading name, any case' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class LegalEntityView {
  @ApiProperty() name!: string;
  @ApiProperty() country!: string;
  @ApiProperty({ nullable: true, type: String }) registrationNumber!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
}

export class ContactView {
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: CONTACT_ROLES }) role!: ContactRole;
}

export class RepresentativeView {
  @ApiProperty() jurisdiction!: string;
  @ApiProperty() appointed!: boolean;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
}

export class ProductView {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PRODUCT_KINDS, nullable: true }) kind!: ProductKind | null;
}

export class OrganisationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Legal name' }) name!: string;
  @ApiProperty({ type: [String] }) tradingNames!: string[];
  @ApiProperty() country!: string;
  @ApiProperty({ nullable: true, type: String }) website!: string | null;
  @ApiProperty({ type: [LegalEntityView] }) legalEntities!: LegalEntityView[];
  @ApiProperty({
    type: [ContactView],
    description: "The caller's authority's own contacts (no other authority sees or changes them)",
  })
  contacts!: ContactView[];
  @ApiProperty({ type: [RepresentativeView], description: "The caller's authority's own record of representatives" })
  representatives!: RepresentativeView[];
  @ApiProperty({ type: [ProductView] }) products!: ProductView[];
  @ApiProperty({
    description:
      "Send it back in If-Match to change the organisation; counts changes of the shared identity and of the caller's authority's contacts",
  })
  version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class OrganisationPage {
  @ApiProperty({ type: [OrganisationView] }) items!: OrganisationView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class OrganisationIdentityView {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) tradingNames!: string[];
  @ApiProperty() country!: string;
  @ApiProperty({ nullable: true, type: String }) website!: string | null;
  @ApiProperty({ type: [LegalEntityView] }) legalEntities!: LegalEntityView[];
  @ApiProperty({ type: [ProductView] }) products!: ProductView[];
}

export class OrganisationVersionView {
  @ApiProperty({ description: 'Version of the shared identity' }) version!: number;
  @ApiProperty() changedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Code of the authority whose user made the change' })
  authority!: string | null;
  @ApiProperty({ description: 'Who made the change' }) actor!: string;
  @ApiProperty({ type: [String], description: 'The identity fields this version changed' }) changed!: string[];
  @ApiProperty({ type: OrganisationIdentityView, description: 'The identity as of this version' })
  identity!: OrganisationIdentityView;
}

export class OrganisationHistoryView {
  @ApiProperty({ type: [OrganisationVersionView], description: 'Newest first' }) items!: OrganisationVersionView[];
}

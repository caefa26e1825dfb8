import { isLanguage, LanguageContext, t } from '#docket/i18n';
import {
  SecondFactorEnrolment,
  SecondFactorService,
  UpdateProfileRequest,
  UserLifecycleService,
} from '#docket/identity';
import { Body, Get, Post, Query, Req } from '@nestjs/common';
import { CoordinationService, ExportsService } from '#docket/reporting';
import { Roles } from '#docket/platform';
import { formatDate, formatInstant } from '../dates.js';
import { explanationText } from '../explanations.js';
import { Page } from '../page.decorator.js';
import type { PageRequest } from '../page-context.js';
import { PageRenderer } from '../page-renderer.js';
import { errorsOf } from '../forms.js';
import { UUID, settingsOf } from './page-helpers.js';
import { renderProfile, STAFF } from './profile.js';

/** The cases every authority shares about one organisation. */
@Page('coordination')
@Roles(...STAFF)
export class CoordinationPages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly coordination: CoordinationService,
  ) {}

  @Get()
  async show(@Req() req: PageRequest, @Query('organisationId') organisationId?: string) {
    const settings = settingsOf(req);
    const organisations = await this.coordination.organisations();
    const chosen =
      typeof organisationId === 'string' && UUID.test(organisationId)
        ? await this.coordination.forOrganisation(organisationId)
        : null;
    return this.pages.render('coordination', {
      title: chosen ? `${t('nav.coordination')} – ${chosen.organisation.name}` : t('nav.coordination'),
      organisations: organisations.map((item) => ({
        ...item,
        authorityList: item.authorities.join(', '),
        href: `/coordination?organisationId=${item.organisationId}`,
        current: item.organisationId === chosen?.organisation.id,
      })),
      chosen: chosen && {
        organisation: chosen.organisation,
        authorities: chosen.authorities.join(', '),
        cases: chosen.cases.map((item) => ({
          authority: `${item.authority.name} (${item.authority.code})`,
          own: item.ownCase,
          reference: item.reference,
          title: item.title,
          status: item.status,
          nextDue: item.nextDueDate
            ? { date: item.nextDueDate, text: formatDate(item.nextDueDate, settings, 'short') }
            : null,
          outcome: item.latestOutcome
            ? {
                type: item.latestOutcome.type,
                at: item.latestOutcome.decidedAt,
                text: formatInstant(item.latestOutcome.decidedAt, settings),
              }
            : null,
        })),
      },
    });
  }
}

/** The signed-in user's own page: the private address of their deadline calendar. */
@Page('me')
@Roles(...STAFF)
export class ProfilePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly exports: ExportsService,
    private readonly lifecycle: UserLifecycleService,
    private readonly secondFactor: SecondFactorService,
  ) {
    // The calendar feed explains each due date in its owner's language, as the deadline's page does.
    exports.writeExplanationsWith((entry, language, settings) =>
      LanguageContext.run(language, () => explanationText(entry, settings)),
    );
  }

  @Get()
  @SecondFactorEnrolment()
  show(@Req() req: PageRequest) {
    return renderProfile(this.pages, this.secondFactor, req);
  }

  @Post('calendar-feed')
  async issue(@Req() req: PageRequest) {
    const issued = await this.exports.issueFeedToken(req.auth!.user);
    // The address holds the feed's only credential: shown once, in this response, never kept in a flash cookie.
    return renderProfile(this.pages, this.secondFactor, req, { feedUrl: issued.url });
  }

  /** The language of the pages; the next page (and this flash) is already in it. */
  @Post('language')
  async language(@Req() req: PageRequest, @Body() body: Record<string, unknown>) {
    const language = body.language;
    if (!isLanguage(language)) {
      const errors = errorsOf([{ field: 'language', message: t('me.languageUnknown') }], { form: 'language' });
      return renderProfile(this.pages, this.secondFactor, req, { errors }, 400);
    }
    await this.lifecycle.changeOwnLanguage(language satisfies UpdateProfileRequest['language']);
    req.auth!.user.language = language;
    LanguageContext.set(language);
    return this.pages.redirect('/me', t('me.languageChanged'));
  }

  @Post('calendar-feed/revoke')
  async revoke(@Req() req: PageRequest) {
    const revoked = await this.exports.revokeFeedTokens(req.auth!.user);
    return this.pages.redirect('/me', revoked ? t('me.feedRevoked') : t('me.feedNoneToRevoke'));
  }
}

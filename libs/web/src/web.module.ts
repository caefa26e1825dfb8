import { CaseworkModule } from '#docket/casework';
import { CorrespondenceModule } from '#docket/correspondence';
import { DocumentsModule } from '#docket/documents';
import { DeadlinesModule } from '#docket/deadlines';
import { MailingModule } from '#docket/mailing';
import { IdentityModule } from '#docket/identity';
import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { CampaignsModule } from '#docket/campaigns';
import { CooperationModule } from '#docket/cooperation';
import { CasesModule } from '#docket/cases';
import { DecisionsModule } from '#docket/decisions';
import { InboundModule } from '#docket/inbound';
import { RegistryModule } from '#docket/registry';
import { ReportingModule } from '#docket/reporting';
import { SearchModule } from '#docket/search';
import { CsrfGuard } from './csrf.guard.js';
import { WebErrorPages } from './error-pages.js';
import { PageRenderer } from './page-renderer.js';
import { AssetsController } from './pages/assets.controller.js';
import { AuthPages } from './pages/auth.pages.js';
import { AuthorityPages } from './pages/authorities.pages.js';
import { CalendarPages } from './pages/calendar.pages.js';
import { CampaignPages } from './pages/campaigns.pages.js';
import { CaseManagePages } from './pages/case-manage.pages.js';
import { CasePages } from './pages/cases.pages.js';
import { DeadlineListPages } from './pages/deadlines-list.pages.js';
import { DeadlinePages } from './pages/deadlines.pages.js';
import { CaseDocumentPage, DocumentPages, LetterheadPage, SealPage, VerifyPage } from './pages/documents.pages.js';
import { AttachmentPages, OutcomePages, ResponsePages } from './pages/decisions.pages.js';
import { HomePages } from './pages/home.pages.js';
import { InboundPages, InboxBadge } from './pages/inbound.pages.js';
import { InquiryPages } from './pages/inquiries.pages.js';
import { OrganisationPages } from './pages/organisations.pages.js';
import { OutboxPages } from './pages/outbox.pages.js';
import { PasswordPages } from './pages/password.pages.js';
import { QueuePages } from './pages/queues.pages.js';
import { SearchPages } from './pages/search.pages.js';
import { CaseworkPages, ImportPages } from './pages/casework.pages.js';
import { AnswersComparedPages, CooperationPages } from './pages/cooperation.pages.js';
import { CaseServicePages } from './pages/service.pages.js';
import { CoordinationPages, ProfilePages } from './pages/reporting.pages.js';
import { QuestionPages } from './pages/questions.pages.js';
import { TemplatePages } from './pages/templates.pages.js';
import { UsersPages } from './pages/users.pages.js';
import { SecondFactorPages } from './pages/second-factor.pages.js';
import { SignInSettingsPages } from './pages/sign-in-settings.pages.js';
import { WebSession, WebSessionMiddleware } from './session.js';
import { WebKeys } from './web-keys.js';

/**
 * Server-rendered pages for staff: cookie sessions with CSRF tokens, HTML error pages, and the
 * PageRenderer that page controllers use.
 */
@Module({
  imports: [
    IdentityModule,
    MailingModule,
    DeadlinesModule,
    DocumentsModule,
    CorrespondenceModule,
    CasesModule,
    RegistryModule,
    DecisionsModule,
    ReportingModule,
    CampaignsModule,
    InboundModule,
    SearchModule,
    CooperationModule,
    CaseworkModule,
  ],
  controllers: [
    AuthPages,
    HomePages,
    CalendarPages,
    UsersPages,
    SecondFactorPages,
    SignInSettingsPages,
    DeadlineListPages,
    DeadlinePages,
    CasePages,
    CaseManagePages,
    DocumentPages,
    VerifyPage,
    LetterheadPage,
    SealPage,
    CaseDocumentPage,
    OrganisationPages,
    AuthorityPages,
    InquiryPages,
    OutboxPages,
    CampaignPages,
    InboundPages,
    QueuePages,
    TemplatePages,
    QuestionPages,
    ResponsePages,
    OutcomePages,
    AttachmentPages,
    CooperationPages,
    AnswersComparedPages,
    CaseServicePages,
    CoordinationPages,
    ProfilePages,
    SearchPages,
    CaseworkPages,
    ImportPages,
    PasswordPages,
    AssetsController,
  ],
  providers: [WebKeys, WebSession, PageRenderer, InboxBadge, CsrfGuard, WebErrorPages],
  exports: [PageRenderer, WebSession, CsrfGuard],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every path, so that the HTML 404 of an unknown page still shows who is signed in; the
    // middleware itself leaves /api, /health and /assets alone.
    consumer.apply(WebSessionMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}

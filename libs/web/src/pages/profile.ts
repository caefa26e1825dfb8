import { t } from '#docket/i18n';
import { SecondFactorService, type Enrolment } from '#docket/identity';
import type { FormErrors } from '../forms.js';
import type { PageRequest } from '../page-context.js';
import type { PageRenderer } from '../page-renderer.js';
import { languageOptions } from './page-helpers.js';

export const STAFF = ['admin', 'manager', 'officer', 'viewer'] as const;

export interface ProfileExtras {
  feedUrl?: string | null;
  enrolment?: Enrolment | null;
  recoveryCodes?: string[] | null;
  errors?: FormErrors;
}

/** The profile page (/me), rendered by each of its forms: password, second factor, calendar feed. */
export async function renderProfile(
  pages: PageRenderer,
  secondFactor: SecondFactorService,
  req: PageRequest,
  extras: ProfileExtras = {},
  status = 200,
) {
  const auth = req.auth!;
  return pages.render(
    'me',
    {
      title: t('me.title'),
      languageOptions: languageOptions(),
      feedUrl: extras.feedUrl ?? null,
      secondFactor: await secondFactor.status(auth.user.id),
      secondFactorRequired: auth.authority?.secondFactorRequired === true,
      enrolmentOnly: auth.enrolmentOnly,
      enrolment: extras.enrolment ?? null,
      recoveryCodes: extras.recoveryCodes ?? null,
      ...(extras.errors ? { errors: extras.errors } : {}),
    },
    { status },
  );
}

import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { problemFor, sendProblem, strictValidationPipe } from './problem.js';
import { RequestContext } from './request-context.js';
import type { Runtime } from './runtime.js';

function bodyParserErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const failure = error as { type?: string; status?: number; message?: string } | undefined;
  if (!failure?.type) return next(error);
  if (failure.type === 'entity.too.large')
    return sendProblem(res, problemFor(413, 'The request body is larger than this server accepts.'));
  if (failure.type === 'entity.parse.failed')
    return sendProblem(res, problemFor(400, 'The request body is not valid JSON.'));
  if (failure.type === 'encoding.unsupported' || failure.type === 'charset.unsupported') {
    return sendProblem(res, problemFor(415, failure.message ?? 'Unsupported encoding.'));
  }
  return sendProblem(res, problemFor(failure.status ?? 400, failure.message ?? 'The request body could not be read.'));
}

const THROTTLED = Symbol('docket:sign-in-throttled');
type ThrottledRequest = Request & { [THROTTLED]?: boolean };

/** Whether the per-address sign-in limit refused this request (the sign-in page then shows its form with a message). */
export const signInThrottled = (req: Request): boolean => (req as ThrottledRequest)[THROTTLED] === true;

/**
 * The Express adapter every Docket HTTP app is created with: path matching is case-exact (Express matches
 * case-insensitively by default, so /API/v1/... reached the API while the session middleware took it for a
 * page). Express fixes the setting when its router is made, in the adapter's constructor, hence here.
 */
export function httpAdapter(): ExpressAdapter {
  const server = express();
  server.set('case sensitive routing', true);
  return new ExpressAdapter(server);
}

/** Everything an HTTP app needs beyond its modules; shared by the server and the tests. */
export function configureHttpApp(app: INestApplication, runtime: Runtime): void {
  if (!(app.getHttpAdapter().getInstance() as { router?: { caseSensitive?: boolean } }).router?.caseSensitive) {
    throw new Error(
      'Create the Nest application with httpAdapter() from #docket/platform: path matching must be case-exact.',
    );
  }
  app.useLogger(app.get(Logger));
  app.use((_req: Request, _res: Response, next: NextFunction) => RequestContext.run(next));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: runtime.config.PUBLIC_URL.startsWith('https:'),
    }),
  );
  app.use(cookieParser());
  app.use(
    ['/api/v1/auth/token', '/login'],
    rateLimit({
      windowMs: 60_000,
      limit: runtime.config.LOGIN_ATTEMPTS_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      skip: (req) => req.method !== 'POST',
      handler: (req, res, next) => {
        // The sign-in page answers with its form and a message (AuthPages), the API with problem+json.
        if (req.baseUrl === '/login') {
          (req as ThrottledRequest)[THROTTLED] = true;
          return next();
        }
        sendProblem(res, problemFor(429, 'Too many sign-in attempts from this address; wait a minute and try again.'));
      },
    }),
  );
  app.use(express.json({ limit: runtime.config.BODY_LIMIT }));
  app.use(express.urlencoded({ extended: false, limit: runtime.config.BODY_LIMIT }));
  app.use(bodyParserErrors);
  app.useGlobalPipes(strictValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Docket API')
      .setDescription(
        'Inquiry case management for privacy and data-protection regulators. Errors are application/problem+json (RFC 9457).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

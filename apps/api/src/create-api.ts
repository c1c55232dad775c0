import 'reflect-metadata';
import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { PARAMTYPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { APP_FILTER, APP_GUARD, APP_PIPE, NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { z } from 'zod';
import { UserGuard } from './auth';
import { ApiDeps, ApiOptions, DEFAULT_OPTIONS, DEPS, OPTIONS } from './deps';
import { ErrorBodySchema } from './errors';
import { ErrorFilter, SchemaPipe } from './filter';
import { expressErrors, isRawUpload, jsonBody, notFound, requestContext } from './http';
import { webConsole } from './web';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './identity/auth.controller';
import { OpsController } from './ops/ops.controller';
import { PlansController } from './plans/plans.controller';
import { ItemsController } from './items/items.controller';
import { ExcelController } from './excel/excel.controller';
import { LettersController } from './letters/letters.controller';
import { InboxController } from './inbox/inbox.controller';
import { ProblemsController } from './problems/problems.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { DeliberationController } from './deliberation/deliberation.controller';
import { LedgerViewsController } from './ledger-views/ledger-views.controller';
import { ExperiencesController } from './experiences/experiences.controller';
import { AssessmentsController } from './assessments/assessments.controller';
import { RoundsController } from './rounds/rounds.controller';
import { ProceduresController } from './procedures/procedures.controller';
import { RulesController } from './procedures/rules.controller';
import { RulesetsController } from './procedures/rulesets.controller';
import { CalendarController } from './calendar/calendar.controller';
import { UnitsController } from './units/units.controller';

/** Every controller of the API: the OpenAPI document, and the tests that walk it, see them all. */
export const CONTROLLERS: Type[] = [OpsController, AuthController, ProceduresController, RulesController, RulesetsController, PlansController, AuditController, ExcelController, ItemsController, LettersController, InboxController, ProblemsController, DashboardController, DeliberationController, ExperiencesController, AssessmentsController, RoundsController, LedgerViewsController, CalendarController, UnitsController];

export const API_PREFIX = 'api';
export const DOCS_PATH = `${API_PREFIX}/docs`;

@Module({})
class ApiModule {}

function apiModule(deps: ApiDeps, options: Required<ApiOptions>, controllers: Type[]): DynamicModule {
  return {
    module: ApiModule,
    imports: [ThrottlerModule.forRoot({ throttlers: [{ name: 'default', limit: options.throttle.limit, ttl: options.throttle.ttlMs }] })],
    controllers,
    providers: [
      { provide: DEPS, useValue: deps },
      { provide: OPTIONS, useValue: options },
      UserGuard,
      { provide: APP_GUARD, useClass: ThrottlerGuard },
      { provide: APP_PIPE, useClass: SchemaPipe },
      { provide: APP_FILTER, useClass: ErrorFilter },
    ],
  };
}

/**
 * What emitDecoratorMetadata would have recorded for each handler's parameters, which neither
 * tsx (esbuild) nor the jest transform emit: @nestjs/swagger reads a handler's parameters (and
 * their schemas) only when this is there. The types are left as Object: the schemas describe them.
 */
function declareParamTypes(controllers: Type[]): void {
  for (const controller of controllers) {
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      // Read the descriptor, not the property: a getter must not run on the prototype.
      if (name === 'constructor' || typeof Object.getOwnPropertyDescriptor(proto, name)?.value !== 'function' || Reflect.hasOwnMetadata(PARAMTYPES_METADATA, proto, name)) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { index: number }>;
      const count = Math.max(0, ...Object.values(args).map((a) => a.index + 1));
      if (count) Reflect.defineMetadata(PARAMTYPES_METADATA, new Array(count).fill(Object), proto, name);
    }
  }
}

/** The OpenAPI document, generated from the controllers and the zod schemas they declare. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Reform Loop 改革落实闭环 API')
    .setDescription('改革方案、试点与中央方案对接的流程引擎。所有错误使用统一格式(见 Error),说明为中文。')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // Every operation may answer with the error shape (400, 413, 415, 429, 500 …).
  const error = z.toJSONSchema(ErrorBodySchema, { target: 'openapi-3.0' }) as Record<string, unknown> & { definitions?: Record<string, unknown> };
  document.components ??= {};
  document.components.schemas ??= {};
  Object.assign(document.components.schemas, Object.fromEntries(Object.entries(error.definitions ?? {})));
  for (const path of Object.values(document.paths)) {
    for (const op of Object.values(path) as Array<{ responses?: Record<string, unknown> }>) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      op.responses ??= {};
      op.responses.default ??= { description: '错误(统一格式)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
  }
  return document;
}

/**
 * Builds the API over services created elsewhere (one composition root: apps/api/src/start.ts).
 * Not listening yet: the caller calls `listen`. Closing the app closes none of the services.
 */
export async function createApi(deps: ApiDeps, opts: ApiOptions = {}, controllers: Type[] = CONTROLLERS): Promise<INestApplication> {
  const options = { ...DEFAULT_OPTIONS, ...opts };
  declareParamTypes(controllers);
  // Zod's own messages (a missing field, a wrong type) in Chinese; the model's custom messages already are.
  z.config(z.locales.zhCN());
  const app = await NestFactory.create(apiModule(deps, options, controllers), new ExpressAdapter(), {
    bodyParser: false,
    logger: {
      log: () => undefined,
      warn: (message: unknown) => deps.log({ level: 'warn', msg: String(message) }),
      error: (message: unknown, stack?: unknown) => deps.log({ level: 'error', msg: String(message), stack }),
    },
  });
  app.setGlobalPrefix(API_PREFIX);
  const http = app.getHttpAdapter().getInstance() as { disable(setting: string): void; set(setting: string, value: unknown): void };
  http.disable('x-powered-by');
  app.use(requestContext(deps));
  app.use(jsonBody(options.bodyLimit, isRawUpload));
  SwaggerModule.setup(DOCS_PATH, app, () => openApiDocument(app), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'Reform Loop API',
  });
  await app.init();
  // The web console at / (its files, and its page for its own routes); /api stays the API's.
  if (options.webDir) app.use(webConsole(options.webDir));
  // Last in Express's chain: paths outside /api, and errors raised outside Nest (a malformed
  // URL), answered in the error shape rather than Express's English HTML.
  app.use(notFound);
  app.use(expressErrors(deps));
  return app;
}

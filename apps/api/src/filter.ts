import { ArgumentMetadata, ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Injectable, PipeTransform } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { ConflictError, FieldError, ForbiddenError, NotFoundError, TooLargeError, UnavailableError, UnsupportedTypeError, UserError } from '@reform/config';
import { AuthenticationError } from '@reform/identity';
import { DefinitionConflictError } from '@reform/persistence';
import { ActionRefusedError } from '@reform/plans';
import { RulesInvalidError } from '@reform/procedures';
import { CalendarInvalidError, issueText, RulesUnavailableError, TaskListInvalidError } from '@reform/desk';
import { ApiDeps, DEPS } from './deps';
import { ApiError, DEFAULT_MESSAGES, ErrorStatus, Issue, issuePath } from './errors';
import { Req, Res, sendError } from './http';

type StandardIssue = { message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; code?: string; keys?: string[] };
type StandardSchema = { '~standard': { validate(value: unknown): { value?: unknown; issues?: readonly StandardIssue[] } | Promise<{ value?: unknown; issues?: readonly StandardIssue[] }> } };

/** A zod issue as the API reports it; a field the schema does not know is named itself ("不允许的字段"). */
function toIssues(i: StandardIssue, prefix: string | undefined): Issue[] {
  if (i.code === 'unrecognized_keys' && Array.isArray(i.keys) && i.keys.length) {
    return i.keys.map((key) => ({ path: issuePath([...(i.path ?? []), key], prefix), message: '不允许的字段(未定义)' }));
  }
  return [{ path: issuePath(i.path, prefix), message: i.message }];
}

/** A 400 that names each bad field. */
export function validationError(issues: Issue[]): ApiError {
  const [first] = issues;
  const where = first ? `${first.path || '请求体'}:${first.message}` : '';
  const more = issues.length > 1 ? `(共 ${issues.length} 处,见 issues)` : '';
  return new ApiError(400, `请求有误${where ? `,${where}` : ''}${more}`, { issues });
}

/**
 * Validates every parameter that carries a schema (`@Body({ schema })`, `@Query(…)`,
 * `@Param(…)`): the model's zod schemas, through Standard Schema. Failures are 400 with the
 * path of each bad field: body paths as they are (plan.title), query and path parameters under
 * their place (query.limit, params.id).
 */
@Injectable()
export class SchemaPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const schema = (metadata as ArgumentMetadata & { schema?: StandardSchema }).schema;
    if (!schema || metadata.type === 'custom') return value;
    const result = await schema['~standard'].validate(value);
    if (!result.issues) return result.value;
    const prefix = metadata.type === 'body' ? metadata.data : metadata.type === 'query' ? ['query', metadata.data].filter(Boolean).join('.') : ['params', metadata.data].filter(Boolean).join('.');
    throw validationError(result.issues.flatMap((i) => toIssues(i, prefix)));
  }
}

/** Nest's own HTTP exceptions (English) by status: their Chinese message. */
function fromHttpException(e: HttpException, req: Req): ApiError {
  const status = e.getStatus();
  if (status === 404) return new ApiError(404, `没有这个接口:${req.method} ${(req.originalUrl ?? req.url ?? '').split('?')[0].slice(0, 200)}`);
  if (status in DEFAULT_MESSAGES && status < 500) return new ApiError(status as ErrorStatus);
  return new ApiError(500);
}

/**
 * Every error leaves as the one error shape. Known errors carry their status; a UserError from a
 * service is the user's to fix (400; a refused action 409); anything else is a bug: 500 with a
 * generic message and the request id, the stack in the log only.
 */
@Catch()
@Injectable()
export class ErrorFilter implements ExceptionFilter {
  constructor(@Inject(DEPS) private readonly deps: ApiDeps) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Req>();
    const res = http.getResponse<Res>();
    sendError(req, res, this.toApiError(exception, req));
  }

  private toApiError(e: unknown, req: Req): ApiError {
    if (e instanceof ApiError) return e;
    if (e instanceof ThrottlerException) return new ApiError(429);
    if (e instanceof ActionRefusedError) return new ApiError(409, e.message, { reasons: e.reasons }, 'action_refused');
    if (e instanceof DefinitionConflictError) return new ApiError(409, e.message);
    if (e instanceof RulesInvalidError) return new ApiError(422, e.message, { diagnostics: e.check.diagnostics });
    if (e instanceof CalendarInvalidError) return new ApiError(422, e.message, { diagnostics: e.diagnostics }, 'calendar_invalid');
    if (e instanceof TaskListInvalidError) return new ApiError(422, e.message, { issues: e.issues.map((i) => ({ path: `rows.${i.row}.${i.column}`, message: issueText(i) })) }, 'task_list_invalid');
    if (e instanceof RulesUnavailableError || e instanceof UnavailableError) return new ApiError(503, e.message);
    if (e instanceof AuthenticationError) return new ApiError(401, e.message, {}, e.code);
    if (e instanceof NotFoundError) return new ApiError(404, e.message);
    if (e instanceof ForbiddenError) return new ApiError(403, e.message);
    if (e instanceof FieldError) return validationError([{ path: e.path, message: e.message.slice(e.path.length + 1) }]);
    if (e instanceof TooLargeError) return new ApiError(413, e.message);
    if (e instanceof UnsupportedTypeError) return new ApiError(415, e.message);
    if (e instanceof ConflictError) return new ApiError(409, e.message);
    if (e instanceof UserError) return new ApiError(400, e.message, {}, 'rejected');
    if (e instanceof HttpException && e.getStatus() < 500) return fromHttpException(e, req);
    const err = e instanceof Error ? e : new Error(String(e));
    this.deps.log({ level: 'error', msg: 'unhandled error', requestId: req.id, method: req.method, route: req.route?.path, error: err.name, message: err.message, stack: err.stack });
    return new ApiError(500);
  }
}

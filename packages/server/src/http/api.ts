import { ErrorResponseSchema, IdSchema, toErrorIssues } from '@waypost/schema';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Store } from '../storage/index.js';
import type { SessionSettings } from '../accounts/sessions.js';
import type { Clock } from '../clock.js';
import { type Auth, authenticate } from './auth.js';
import { ApiError } from './errors.js';
import { findNul } from './nul.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route:
 * - `public`: anyone;
 * - `key`: any signed-in caller; the handler scopes publishers to their own records and others to their workspaces;
 * - `workspace`: any caller but publishers; the handler scopes the records to the caller's workspaces;
 * - `admin`: admin keys without a workspace limit, and owner and admin users;
 * - `self`: any signed-in caller acting on its own sign-in (signing out, its password), analysts included.
 * Analysts (read-only) may only read, whatever the access but `self`.
 */
export type Access = 'public' | 'key' | 'workspace' | 'admin' | 'self';

/** Whether `auth` passes the route's access level (its handler may narrow it further). */
export function allows(access: Access, auth: Auth | undefined, method: Method): boolean {
  if (access === 'public') return true;
  if (!auth) return false;
  if (access === 'self') return true;
  if (auth.role === 'admin' && auth.readOnly && method !== 'get') return false;
  if (access === 'key') return true;
  if (auth.role !== 'admin') return false;
  if (access === 'workspace') return true;
  return auth.workspaces === 'all' && (auth.userRole === null || auth.userRole === 'owner' || auth.userRole === 'admin');
}

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Express path, such as `/v1/offers/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  response?: R;
  /** @default 200 */
  status?: number;
  /** Extra OpenAPI response media types, such as `text/csv`. */
  produces?: string[];
  /** A body of this media type (not JSON), which the handler reads from the request itself, such as `application/zip`. */
  consumes?: string;
  description?: string;
}

export interface RouteContext<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  /** The caller's key; absent only on public routes. */
  auth: Auth;
  req: Request;
  res: Response;
}

interface Registered {
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
}

/**
 * Declares routes once: input parsing, access control and the OpenAPI document all come from the same spec, so
 * the served `/openapi.json` cannot drift from what the server accepts.
 */
export class Api {
  readonly #routes: Registered[] = [];
  readonly #authenticate;

  constructor(
    readonly router: Router,
    store: Store,
    sessions: { clock: Clock; settings: SessionSettings },
  ) {
    this.#authenticate = authenticate(store, sessions);
  }

  get routes(): readonly RouteSpec<z.ZodType, z.ZodType, z.ZodType>[] {
    return this.#routes.map((route) => route.spec);
  }

  route<B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, R extends z.ZodType = z.ZodUnknown>(
    spec: RouteSpec<B, Q, R>,
    handler: (ctx: RouteContext<z.output<B>, z.output<Q>>) => Promise<z.input<R> | undefined> | z.input<R> | undefined,
  ): void {
    this.#routes.push({ spec: spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType> });
    const middleware = spec.access === 'public' ? [] : [this.#authenticate];
    this.router[spec.method](spec.path, ...middleware, async (req: Request, res: Response) => {
      const auth = res.locals.auth as Auth;
      if (!allows(spec.access, auth, spec.method)) {
        throw ApiError.forbidden(
          auth.role === 'admin' && auth.readOnly ? 'an analyst may only read' : `this endpoint needs ${spec.access === 'admin' ? 'an admin' : 'a team'} key or user`,
        );
      }
      refuseNul(req);
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.params as Record<string, string>)) {
        // A malformed id can name nothing that exists.
        if (!IdSchema.safeParse(value).success) throw ApiError.notFound(name === 'id' ? 'resource' : name);
        params[name] = value;
      }
      const query = spec.query ? parse(spec.query, req.query, 400) : undefined;
      const body = spec.body ? parse(spec.body, readBody(req), 422) : undefined;
      const result = await handler({ body, query, params, auth, req, res } as RouteContext<z.output<B>, z.output<Q>>);
      if (res.headersSent) return;
      if (result === undefined) res.status(spec.status ?? 204).end();
      else res.status(spec.status ?? 200).json(result);
    });
  }

  /** The OpenAPI 3.1 document for every declared route. */
  openapi(info: { title: string; version: string; serverUrl: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const errorSchema = jsonSchema(ErrorResponseSchema, 'output');
    for (const { spec } of this.#routes) {
      const path = spec.path.replace(/:(\w+)/g, '{$1}');
      const parameters: unknown[] = [...spec.path.matchAll(/:(\w+)/g)].map((match) => ({
        name: match[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      if (spec.query) {
        const schema = jsonSchema(spec.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property });
        }
      }
      const status = String(spec.status ?? (spec.response ? 200 : 204));
      const content: Record<string, unknown> = {};
      if (spec.response) content['application/json'] = { schema: jsonSchema(spec.response, 'output') };
      for (const type of spec.produces ?? []) content[type] = { schema: { type: 'string' } };
      (paths[path] ??= {})[spec.method] = {
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        tags: [spec.tag],
        operationId: `${spec.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(\w)?/g, (_, c: string = '') => c.toUpperCase())}`,
        ...(spec.access === 'public' ? { security: [] } : {}),
        // Who may call it (the Access type): `public`, `key`, `workspace`, `admin` or `self`.
        'x-waypost-access': spec.access,
        ...(parameters.length ? { parameters } : {}),
        ...(spec.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
          : spec.consumes
            ? { requestBody: { required: true, content: { [spec.consumes]: { schema: { type: 'string', format: 'binary' } } } } }
            : {}),
        responses: {
          [status]: { description: 'OK', ...(Object.keys(content).length ? { content } : {}) },
          default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
        },
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      servers: [{ url: info.serverUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'wp_sk_… (admin) or wp_pk_… (publisher)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'waypost_session',
            description: 'A team account signed in with POST /v1/session; writes also need the X-CSRF-Token header',
          },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
      paths,
    };
  }
}

function parse<T extends z.ZodType>(schema: T, input: unknown, status: number): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw ApiError.validation(toErrorIssues(result.error), status);
  return result.data;
}

/** NUL cannot be stored (see nul.ts): the API refuses it in the path, the query or the body, naming the field. */
function refuseNul(req: Request): void {
  for (const source of [req.params, req.query, req.body]) {
    const found = findNul(source);
    if (found === undefined) continue;
    const path = found || 'body';
    const message = 'must not contain the character U+0000 (NUL)';
    throw new ApiError(400, 'invalid_character', `${path}: ${message}`, [{ path, code: 'invalid_character', message }]);
  }
}

/** The parsed JSON body; a body in any other format is refused rather than read as empty. */
function readBody(req: Request): unknown {
  if (req.body !== undefined) return req.body;
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON with "Content-Type: application/json"', [
      { path: 'body', code: 'unsupported_media_type', message: 'must be application/json' },
    ]);
  }
  return {};
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

import type { OpenAPIObject } from '@nestjs/swagger';
import { createApi, openApiDocument } from './create-api';
import type { ApiDeps } from './deps';

/**
 * The OpenAPI document without a server, a database or Temporal: the controllers' metadata is
 * all the document is made of, so the app is built over no services and never listens. What the
 * web console's typed client is generated from (web-api-types.ts).
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  // No route runs: the controllers only keep the deps, and the document reads their decorators.
  const app = await createApi({ log: () => undefined } as unknown as ApiDeps);
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}

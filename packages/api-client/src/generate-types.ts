import { startApiTestApp } from '@social-pulse/api/testing/api-test-app';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

/** The checked-in types: written by `npm run generate -w @social-pulse/api-client`, checked by api-types.component.spec.ts. */
export const API_TYPES_FILE = join(__dirname, 'api-types.ts');

const BANNER =
  '// Generated from the API’s OpenAPI document by `npm run generate -w @social-pulse/api-client`: do not edit.\n\n';

/**
 * The API's OpenAPI document as GET /docs/openapi.json serves it, from the real API module built
 * in-process (fakes stand at Redis and ClickHouse, which the document never touches).
 */
export async function apiOpenApiDocument(): Promise<OpenAPI3> {
  const api = await startApiTestApp();
  try {
    return (await api.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json<OpenAPI3>();
  } finally {
    await api.close();
  }
}

/** The TypeScript types of the document (openapi-typescript), formatted as the repository formats TypeScript. */
export async function generateApiTypes(document?: OpenAPI3): Promise<string> {
  const ast = await openapiTS(document ?? (await apiOpenApiDocument()), { exportType: true });
  const text = BANNER + astToString(ast);
  return format(text, { ...(await resolveConfig(API_TYPES_FILE)), filepath: API_TYPES_FILE });
}

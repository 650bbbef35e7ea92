import type { INestApplication } from '@nestjs/common';
import type { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * Builds the OpenAPI document from the controllers' decorators. `SwaggerModule.setup` would need
 * the application object (which the service kit creates) and would mount its routes outside
 * Nest's guards, i.e. without authentication. So the document is scanned here through the three
 * parts of the application the scanner reads, and served by a guarded controller instead.
 */
export function buildOpenApiDocument(
  modules: ModulesContainer,
  config: ApplicationConfig,
  adapterHost: HttpAdapterHost,
): OpenAPIObject {
  const app = {
    container: { getModules: () => modules, isGlobalModule: () => false },
    config,
    getHttpAdapter: () => adapterHost.httpAdapter,
  } as unknown as INestApplication;
  const info = new DocumentBuilder()
    .setTitle('printfleet gateway')
    .setDescription(
      'HTTP API of the printfleet gateway. Authenticate with the session cookie from POST /api/auth/login ' +
        '(state-changing calls then need the X-CSRF-Token header) or with an X-Api-Key header. ' +
        'Errors are {"error": {"code", "message"}}. Live updates: WebSocket /api/live.',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .addCookieAuth('pf_session')
    .addSecurityRequirements('apiKey')
    .build();
  return SwaggerModule.createDocument(app, info);
}

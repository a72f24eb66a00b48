import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { API_CONFIG, type ApiConfig } from '../config';

/** Dashboard reads need an API key, in X-API-Key or as a Bearer token. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(@Inject(API_CONFIG) config: ApiConfig) {
    this.keys = config.API_KEYS.map((key) => Buffer.from(key));
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['x-api-key'];
    const bearer = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const key = typeof header === 'string' && header ? header : bearer;
    if (!key) throw new UnauthorizedException('missing API key: send X-API-Key');
    const given = Buffer.from(key);
    if (!this.keys.some((known) => known.length === given.length && timingSafeEqual(known, given))) {
      throw new UnauthorizedException('unknown API key');
    }
    return true;
  }
}

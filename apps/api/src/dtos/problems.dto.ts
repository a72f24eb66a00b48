import { ApiProperty } from '@nestjs/swagger';
import { ProblemDetailsDto } from '@social-pulse/observability/nest';
import { API_SCOPES, type ApiScope } from '../config';
import type { Dependency, DependencyError } from '../services/dependency-guard';

const DEPENDENCIES: Dependency[] = ['redis', 'clickhouse'];
const FAILURE_REASONS: DependencyError['reason'][] = ['timeout', 'circuit-open', 'error'];

/** 403: the key is valid, its scope is not enough for the route. */
export class InsufficientScopeProblemDto extends ProblemDetailsDto {
  @ApiProperty({ enum: API_SCOPES, description: 'The scope the route needs', example: 'admin' })
  required_scope!: ApiScope;
}

export class DependencyFailureDto {
  @ApiProperty({ enum: DEPENDENCIES }) dependency!: Dependency;
  @ApiProperty({
    enum: FAILURE_REASONS,
    description: 'timeout: no answer in time; circuit-open: not asked after failures in a row; error: it failed',
  })
  reason!: DependencyError['reason'];
}

/** 503: no answer could be served; what failed, and when to try again. */
export class UnavailableProblemDto extends ProblemDetailsDto {
  @ApiProperty({ enum: DEPENDENCIES, isArray: true, description: 'The dependencies that failed' })
  dependencies!: Dependency[];
  @ApiProperty({ type: [DependencyFailureDto] }) reasons!: DependencyFailureDto[];
  @ApiProperty({ description: 'Seconds to wait, as in Retry-After', example: 5 }) retry_after!: number;
}

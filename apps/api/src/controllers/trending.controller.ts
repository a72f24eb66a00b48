import { BadRequestException, Controller, Get, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { TRENDING_WINDOWS, TrendingResponseDto, trendingQuerySchema } from '../dtos/trending.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { TrendingService } from '../services/trending.service';

@ApiTags('trending')
@ApiSecurity('api-key')
@Controller('v1/trending')
@UseGuards(ApiKeyGuard)
export class TrendingController {
  constructor(private readonly trending: TrendingService) {}

  /** The hottest topics of the latest window. */
  @Get()
  @ApiQuery({ name: 'window', enum: TRENDING_WINDOWS, required: false })
  @ApiQuery({ name: 'limit', type: Number, required: false, description: '1 to 100, default 20' })
  @ApiOkResponse({ type: TrendingResponseDto })
  @ApiBadRequestResponse({ description: 'Unknown window or limit out of range.' })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  get(@Query() query: Record<string, string>): Promise<TrendingResponseDto> {
    const parsed = trendingQuerySchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException(parsed.error.issues.map((i) => i.message).join('; '));
    return this.trending.get(parsed.data);
  }
}

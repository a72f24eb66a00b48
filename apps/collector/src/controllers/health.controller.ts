import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { KafkaRepository } from '../repositories/kafka.repository';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly kafka: KafkaRepository) {}

  /** Liveness: the process answers. */
  @Get('health')
  @ApiOkResponse({ description: 'The collector process is alive.' })
  health() {
    return { status: 'ok', service: 'collector' };
  }

  /** Readiness: events can be made durable, so a load balancer may send traffic. */
  @Get('ready')
  @ApiOkResponse({ description: 'The Kafka producer is connected and its last publish (or probe since) succeeded.' })
  @ApiServiceUnavailableResponse({ description: 'Kafka is unreachable.' })
  ready() {
    const kafka = this.kafka.isReady();
    if (!kafka) throw new ServiceUnavailableException({ message: 'unready: Kafka cannot take events', kafka });
    return { status: 'ready', kafka };
  }
}

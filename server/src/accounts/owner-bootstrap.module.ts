import { Module } from '@nestjs/common';
import { OwnerBootstrap } from './owner-bootstrap.service';

/** The first-start owner; imported by the API's AppModule only, never by worker processes. */
@Module({ providers: [OwnerBootstrap], exports: [OwnerBootstrap] })
export class OwnerBootstrapModule {}

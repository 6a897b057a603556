import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { InstallationModule } from './installation/installation.module';
import { RedisModule } from './redis/redis.module';

/**
 * What every process needs, with or without HTTP: the config, PostgreSQL (migrated) and Redis, claimed for this
 * installation (InstallationModule).
 */
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule, InstallationModule],
      exports: [ConfigModule, DatabaseModule, RedisModule],
    };
  }
}

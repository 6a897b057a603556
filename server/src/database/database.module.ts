import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { DatabaseMigrator } from './database-migrator';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config),
        entities: [], // each feature module registers its own with forFeature
        autoLoadEntities: true,
        retryAttempts: 0, // a bad DATABASE_URL stops start-up at once with its reason
      }),
    }),
  ],
  providers: [DatabaseMigrator],
})
export class DatabaseModule {}

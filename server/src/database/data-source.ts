import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { loadEnvFile } from '../config/env-file';
import { buildDataSourceOptions } from './data-source-options';

// `.env` as the API and workers read it (README, "Deployment").
loadEnvFile();

/** The DataSource of the TypeORM CLI (`npm run migration:*`); the app builds the same options from its config. */
export default new DataSource(buildDataSourceOptions(loadConfig()));

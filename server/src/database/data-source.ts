import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';

/** The DataSource of the TypeORM CLI (`npm run migration:*`); the app builds the same options from its config. */
export default new DataSource(buildDataSourceOptions(loadConfig()));
